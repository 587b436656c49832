"""Patches to third-party code, each guarded by the version it was written for.

django-tables2 3.0.1, `django_tables2.utils.signature`: memoised.

django-tables2 calls `utils.signature` (which asks `inspect.signature`) on a column's
render/value method for every cell it renders or exports, to pass only the arguments the
method takes (`utils.call_with_appropriate`). A function's signature never changes, so asking
once per function is enough: on a 700-row members export this was more than half the request
(about 0.2 s of 0.25 s). The patched function returns what the original returns, for the same
function; tests/core/test_patches.py renders real tables with and without it and compares the
HTML and the exported values byte for byte.

The patch reaches into the library's internals, so an upgrade could change what it replaces
without a word. `install()` therefore refuses any django-tables2 other than the version it
was written for (`WRITTEN_FOR`, the version pyproject.toml pins): it leaves the library as it
is (slower, never different), logs a warning, and the system check `core.W001` repeats it at
every start (`manage.py check`, runserver, migrate). To upgrade: pin the new version, run
tests/core/test_patches.py, and only then move `WRITTEN_FOR`.
"""

import functools
import logging

import django_tables2
from django.core import checks
from django_tables2 import utils

logger = logging.getLogger(__name__)

WRITTEN_FOR = "3.0.1"

_original_signature = utils.signature


@functools.lru_cache(maxsize=4096)
def _signature_of(function, bound: bool):
    if bound:  # inspect drops `self` for a bound method; rebuild one to ask it the same way
        return _original_signature(functools.partial(function, None))
    return _original_signature(function)


def memoised_signature(fn):
    """`django_tables2.utils.signature`, asked once per function (per underlying function for
    a bound method: every row's bound method shares its column's function)."""
    target = getattr(fn, "__func__", None)
    if target is None:
        try:
            return _signature_of(fn, False)
        except TypeError:  # unhashable callable
            return _original_signature(fn)
    return _signature_of(target, True)


def version_is_supported() -> bool:
    return django_tables2.__version__ == WRITTEN_FOR


def _refusal() -> str:
    return (
        f"django-tables2 {django_tables2.__version__} is installed, but core/patches.py was "
        f"written for {WRITTEN_FOR}: its speed-up of utils.signature is not installed (tables "
        "render as the library draws them, more slowly). Check it against the new version "
        "(tests/core/test_patches.py), then set WRITTEN_FOR."
    )


def install() -> bool:
    """Install the patch (from CoreConfig.ready()); True when it is in place. On a version it
    was not written for, leave the library alone and log why."""
    if not version_is_supported():
        logger.warning(_refusal())
        return False
    utils.signature = memoised_signature
    return True


def uninstall() -> None:
    """Put the library's own function back (tests compare the two)."""
    utils.signature = _original_signature


def is_installed() -> bool:
    return utils.signature is memoised_signature


@checks.register()
def check_patches(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """core.W001 when the django-tables2 patch was refused for its version."""
    if version_is_supported():
        return []
    return [checks.Warning(_refusal(), id="core.W001", obj="core.patches")]
