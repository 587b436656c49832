"""The throughput benchmark's baseline: a plain template over the same cached rows a page shows.

`manage.py bench_throughput` writes each measured page's rows (its own CSV export, first page
of them) to a JSON file named by BENCH_BASELINE_ROWS. This page fetches a page's rows from the
cache as the pages fetch their fragments (keyed by the data version, built on a miss) and
renders them in the site's layout with a plain loop: the same login, view right, middleware
and page chrome, without the filter form, django-tables2, the date bar or charts. It is what a
page would cost if it did nothing but show cached rows, so its throughput is the yardstick the
pages are measured against. It is only routed under `ics_tracker.bench_settings`.
"""

import json
import os
from functools import cache

from django.http import Http404
from django.shortcuts import render

from core.caching import cached_fragment


@cache
def _all_rows() -> dict:
    with open(os.environ["BENCH_BASELINE_ROWS"], encoding="utf-8") as file:
        return json.load(file)


def plain_rows(request, key: str):
    if key not in _all_rows():
        raise Http404("No baseline rows under that name.")
    header, *rows = cached_fragment(("bench-plain", key), lambda: _all_rows()[key])
    return render(request, "bench/plain.html", {"key": key, "header": header, "rows": rows})
