"""The site's URLs plus the throughput benchmark's baseline (`ics_tracker.bench_settings`)."""

from django.urls import path

from systems.access import require_view_right

from .bench_baseline import plain_rows
from .urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *require_view_right([path("bench/plain/<slug:key>/", plain_rows, name="bench-plain")]),
    *site_urlpatterns,
]
