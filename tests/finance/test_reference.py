"""The financial years exist after every migrate, are loaded idempotently, and finance is
never a dependency of systems."""

import re
from pathlib import Path

import pytest

from finance.models import FinancialYear
from finance.reference import load_financial_years

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_financial_years_exist_after_migrate():
    """The test database is migrated, so the post_migrate handler has loaded the years."""
    years = {y.label: y for y in FinancialYear.objects.all()}

    assert list(years) == ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]
    assert "STF" in years["2016/17"].funding_schemes
    assert "£1.8bn" in years["2017/18"].funding_schemes
    assert "PSF" in years["2018/19"].funding_schemes
    assert "£400m" in years["2018/19"].funding_schemes
    assert "Financial Recovery Fund" in years["2019/20"].funding_schemes
    assert [y.transfers_allowed for y in years.values()] == [False, False, False, True, True, True]
    for label in ("2020/21", "2021/22"):
        assert years[label].funding_schemes == ""
        assert "Funding schemes not recorded here" in years[label].source


@pytest.mark.django_db
def test_load_financial_years_creates_only_missing_years():
    """Loading again creates nothing, restores a deleted year, and leaves an edited one as
    the finance editor left it."""
    edited = FinancialYear.objects.get(start_year=2020)
    edited.funding_schemes = "COVID-19 block arrangements (entered by an editor)"
    edited.save()
    FinancialYear.objects.filter(start_year=2021).delete()

    assert load_financial_years() == 1
    assert load_financial_years() == 0
    assert FinancialYear.objects.count() == 6
    edited.refresh_from_db()
    assert edited.funding_schemes == "COVID-19 block arrangements (entered by an editor)"
    assert FinancialYear.objects.get(start_year=2021).transfers_allowed


def test_systems_never_imports_finance():
    """finance imports systems, never the reverse: loading the reference data, importing and
    every page of systems work without finance. (Management commands are entry points, not
    library code; a benchmark command may seed finance figures.)"""
    commands = ROOT / "systems" / "management" / "commands"
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "systems").rglob("*.py")
        if commands not in path.parents
        and re.search(r"^\s*(from|import)\s+finance\b", path.read_text(), re.MULTILINE)
    ]

    assert offenders == []


def test_make_run_loads_demo_data_after_reference_data():
    makefile = (ROOT / "Makefile").read_text()
    setup = makefile.split("define RUN_SETUP_COMMANDS")[1].split("endef")[0].split()

    assert "load_demo_data" in setup
    assert setup.index("load_demo_data") > setup.index("load_reference_data")
