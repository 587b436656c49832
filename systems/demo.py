"""Illustrative back-dated trust memberships, which every app's demonstration data needs:
trusts the real reference load left without a membership before October 2020 get the
October 2020 one carried back (`systems.backdating`), labelled illustrative."""

from collections import Counter

from .backdating import backdate_trust_memberships

MEMBERSHIP_SOURCE = "Illustrative demo data: membership assumed as in the October 2020 trust list"
MEMBERSHIP_NOTE = (
    "Made up for the demonstration data: the shipped trust list gives memberships only from "
    "1 October 2020. Replace with real memberships if they are known."
)


def backdate_illustrative_memberships() -> Counter:
    """The demo's back-dating: `backdate_trust_memberships` labelled illustrative."""
    return backdate_trust_memberships(
        source=MEMBERSHIP_SOURCE, note=MEMBERSHIP_NOTE, reason="Illustrative demo data"
    )


def load_demo_data(*, seed: int) -> list[str]:
    """The systems app's part of `manage.py load_demo_data` (see SystemsConfig)."""
    counts = backdate_illustrative_memberships()
    return [
        f"Illustrative back-dated trust memberships: {counts['created']} created, "
        f"{counts['unchanged']} unchanged"
    ]
