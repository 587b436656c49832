"""Backups: scripts/backup and scripts/restore carry a real PostgreSQL database and the media
folder of built summaries through a dump, and the restored site is the same site.

The test database is used as a real one (transactional tests: the data are committed, so
pg_dump sees them); the backup is restored into a fresh database on the same server, and the
pages are rendered again by switching Django's connection to it.
"""

import difflib
import filecmp
import io
import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from systems.models import System
from systems.reference import load_reference_data
from tests.helpers import body

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="backups are of PostgreSQL",
    ),
]

SCRIPTS = Path(settings.BASE_DIR) / "scripts"

# An analyst's round of the site, with sorts that leave many rows tied on the sorted column.
PAGES = [
    "/",
    "/?as_at=2018-10-01",
    "/systems/",
    "/systems/?sort=status_as_at",
    "/systems/?as_at=2018-10-01&sort=-wave_name",
    "/systems/greater-manchester/",
    "/waves/",
    "/waves/wave-1/",
    "/finance/2017-18/",
    "/finance/2017-18/?sort=status_as_at",
    "/performance/ae-4-hour/2017-18/",
    "/performance/ae-4-hour/2017-18/?sort=region",
    "/maturity/",
    "/systems/?_export=csv",
]

# What differs between two renders of the same data: the masked CSRF token and the nonce.
VOLATILE = re.compile(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]*"')


def database_url(name: str, password: str = "") -> str:
    """A libpq address of database `name` on the test server."""
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = password or database["PASSWORD"]
    password = f":{quote(password, safe='')}" if password else ""
    host = database["HOST"] or "localhost"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{name}"


def run_script(name: str, *arguments, database: str, media_root: Path, password: str = ""):
    return subprocess.run(
        [SCRIPTS / name, *map(str, arguments)],
        env=os.environ
        | {"DATABASE_URL": database_url(database, password), "DJANGO_MEDIA_ROOT": str(media_root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def backup(destination: Path, media_root: Path, password: str = "") -> Path:
    result = run_script(
        "backup",
        destination,
        database=connection.settings_dict["NAME"],
        media_root=media_root,
        password=password,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def server_command(sql: str) -> None:
    database = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=database["PORT"],
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(sql)
    finally:
        server.close()


@pytest.fixture
def fresh_database():
    """The name of a new, empty database on the test server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server_command(f'CREATE DATABASE "{name}"')
    yield name
    server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def connected_to(name: str):
    """Django's connection to database `name` on the same server, for the block."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


def render_pages(client, user) -> dict[str, bytes]:
    """Each page as `user` sees it after logging in (so no date is carried over from the last
    round in the session)."""
    cache.clear()  # fragments must come from this database, not from the last render
    client.logout()
    client.force_login(user)
    pages = {}
    for address in PAGES:
        response = client.get(address)
        assert response.status_code == 200, address
        pages[address] = VOLATILE.sub(rb"\1", body(response))
    return pages


def first_difference(address: str, before: dict, after: dict) -> str:
    lines = difflib.unified_diff(
        before[address].decode().splitlines(),
        after[address].decode().splitlines(),
        "before",
        "after",
        n=2,
        lineterm="",
    )
    return f"{address} differs after the restore:\n" + "\n".join(list(lines)[:40])


def write_media(media_root: Path) -> None:
    """Files where built summaries live, as a build leaves them."""
    summaries = media_root / "board-summaries" / "2026" / "12"
    summaries.mkdir(parents=True)
    (summaries / "summary-1.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (summaries / "summary-2.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 512)


def same_tree(left: Path, right: Path) -> bool:
    comparison = filecmp.dircmp(left, right)
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    _, mismatched, errors = filecmp.cmpfiles(left, right, comparison.common_files, shallow=False)
    return (
        not mismatched
        and not errors
        and all(same_tree(left / name, right / name) for name in comparison.common_dirs)
    )


def test_restore_of_a_backup_renders_every_page_byte_for_byte(
    client, analyst, tmp_path, fresh_database
):
    """A database with the reference and demo data, backed up and restored into a fresh
    database, serves an analyst the same bytes on every page (filtered, sorted, exported),
    and the media folder comes back file for file."""
    load_reference_data(include_snapshots=False)  # as the suite's `reference_data` fixture
    call_command("load_demo_data", stdout=io.StringIO())
    media_root = tmp_path / "media"
    write_media(media_root)
    before = render_pages(client, analyst)

    folder = backup(tmp_path / "backups", media_root)
    restored_media = tmp_path / "restored-media"
    result = run_script("restore", folder, database=fresh_database, media_root=restored_media)
    assert result.returncode == 0, result.stderr

    with connected_to(fresh_database):
        assert System.objects.count() > 40
        after = render_pages(client, analyst)
    for address in PAGES:
        assert after[address] == before[address], first_difference(address, before, after)
    assert same_tree(media_root, restored_media)


def test_restore_refuses_a_database_with_tables(tmp_path, reference_data):
    """Restoring over a database that already holds tables changes nothing and says to pass
    --force; the media folder is left alone too."""
    media_root = tmp_path / "media"
    write_media(media_root)
    folder = backup(tmp_path / "backups", media_root)
    System.objects.update(name="Renamed after the backup")
    target_media = tmp_path / "target-media"

    result = run_script(
        "restore", folder, database=connection.settings_dict["NAME"], media_root=target_media
    )

    assert result.returncode != 0
    assert "pass --force" in result.stderr
    assert set(System.objects.values_list("name", flat=True)) == {"Renamed after the backup"}
    assert not target_media.exists()


def test_restore_with_force_replaces_the_database_and_media_folder(tmp_path, reference_data):
    """With --force, a database and media folder in use are replaced by the backup's."""
    media_root = tmp_path / "media"
    write_media(media_root)
    folder = backup(tmp_path / "backups", media_root)
    names = sorted(System.objects.values_list("name", flat=True))
    System.objects.update(name="Renamed after the backup")
    (media_root / "built-after-the-backup.pdf").write_bytes(b"%PDF-1.7\n")

    result = run_script(
        "restore",
        "--force",
        folder,
        database=connection.settings_dict["NAME"],
        media_root=media_root,
    )

    assert result.returncode == 0, result.stderr
    assert sorted(System.objects.values_list("name", flat=True)) == names
    assert not (media_root / "built-after-the-backup.pdf").exists()
    assert (media_root / "board-summaries" / "2026" / "12" / "summary-1.pdf").exists()


def test_restore_refuses_a_damaged_backup(tmp_path, fresh_database):
    """A dump that no longer matches the manifest's checksum is refused before anything is
    restored."""
    media_root = tmp_path / "media"
    media_root.mkdir()
    folder = backup(tmp_path / "backups", media_root)
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\xff\xff\xff\xff")

    result = run_script("restore", folder, database=fresh_database, media_root=tmp_path / "out")

    assert result.returncode != 0
    assert "does not match its manifest" in result.stderr
    with connected_to(fresh_database), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchone() == (0,)


def test_backup_writes_one_folder_with_dump_media_and_manifest(tmp_path, reference_data):
    """A backup is one timestamped folder: the custom-format dump, the media tar and a manifest
    that names the database without its password and holds both files' checksums."""
    media_root = tmp_path / "media"
    write_media(media_root)

    # The server trusts local connections, so a password in the address is accepted and ignored.
    folder = backup(tmp_path / "backups", media_root, password="not-for-the-manifest")

    assert re.fullmatch(r"ics-tracker-\d{8}T\d{6}Z", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.dump",
        "manifest.txt",
        "media.tar.gz",
    ]
    assert (folder / "database.dump").read_bytes().startswith(b"PGDMP")
    manifest = (folder / "manifest.txt").read_text()
    assert "migration: systems " in manifest
    assert "not-for-the-manifest" not in manifest
    assert re.search(r"^[0-9a-f]{64}  database\.dump$", manifest, re.MULTILINE)
    assert re.search(r"^[0-9a-f]{64}  media\.tar\.gz$", manifest, re.MULTILINE)
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no leftovers
