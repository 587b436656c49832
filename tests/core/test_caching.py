"""Cache keys of fragments (core.caching)."""


def test_the_query_part_of_a_key_is_sorted_and_leaves_the_date_to_the_page(rf):
    from core.caching import query_part

    request = rf.get("/systems/?status=ics&as_at=2019-01-01&region=3&status=stp")
    assert query_part(request) == "region=3&status=ics&status=stp"
    assert query_part(rf.get("/systems/")) == ""


def test_a_deploy_with_other_static_files_does_not_reuse_fragments(monkeypatch):
    """Fragments hold fingerprinted static addresses (a map's boundary file): after a deploy
    that changes a static file, a shared cache must not serve the old fragment."""
    from core import caching

    built = []

    def build():
        built.append(1)
        return len(built)

    monkeypatch.setattr(caching, "static_version", lambda: "first deploy")
    assert caching.cached_fragment(("page",), build, version=7) == 1
    assert caching.cached_fragment(("page",), build, version=7) == 1
    monkeypatch.setattr(caching, "static_version", lambda: "second deploy")
    assert caching.cached_fragment(("page",), build, version=7) == 2


def test_the_static_version_is_the_manifests_hash(monkeypatch, tmp_path):
    """Under the fingerprinting storage production uses, the version is the hash of its
    manifest; under plain storage (development), nothing."""
    from django.contrib.staticfiles import storage as staticfiles
    from django.contrib.staticfiles.storage import (
        ManifestStaticFilesStorage,
        StaticFilesStorage,
    )

    from core import caching

    (tmp_path / "staticfiles.json").write_text(
        '{"version": "1.1", "paths": {"a.js": "a.123.js"}, "hash": "abc"}', encoding="utf-8"
    )
    for storage, expected in (
        (ManifestStaticFilesStorage(location=tmp_path), "abc"),
        (StaticFilesStorage(location=tmp_path), ""),
    ):
        monkeypatch.setattr(staticfiles, "staticfiles_storage", storage)
        caching.static_version.cache_clear()
        try:
            assert caching.static_version() == expected
        finally:
            caching.static_version.cache_clear()
