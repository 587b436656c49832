"""The sections of a board summary, each a plain function: a `SummaryScope` in, a `Section`
(title, numbered paragraphs, charts, tables, annexes) out, or None when it has nothing to say.

Sections reuse what the pages use: the apps' queries and presenters (rows, headlines and
charts), and their django-tables2 Tables, so a board paper and the dashboard show the same
figures and pictures. Sections never import a view.

`SECTIONS` is the paper's order, written out; `collect_sections(scope)` runs them in that
order and drops those that return None, so a section with no data leaves no empty stub. To add
one, write its module here and put it in the list where it belongs in the paper.

Sections only read. Paragraphs can point at an annex with `{annex:<key>}`; the document
letters the annexes in order and replaces the marker ("Annex B").
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..document import Section
from .designation import designation_section
from .finance import finance_section
from .maturity import maturity_section
from .performance import performance_section
from .scope import SummaryScope

SectionFunction = Callable[[SummaryScope], Section | None]


@dataclass(frozen=True)
class RegisteredSection:
    key: str
    compose: SectionFunction


SECTIONS: tuple[RegisteredSection, ...] = (
    RegisteredSection("designation", designation_section),
    RegisteredSection("performance", performance_section),
    RegisteredSection("finance", finance_section),
    RegisteredSection("maturity", maturity_section),
)


def collect_sections(
    scope: SummaryScope, progress=None, sections: Sequence[RegisteredSection] = SECTIONS
) -> list[Section]:
    """Every section with something to say, in order."""
    collected = []
    for index, registered in enumerate(sections):
        if progress is not None:
            progress(index, len(sections), registered.key)
        result = registered.compose(scope)
        if result is not None:
            collected.append(result)
    return collected


__all__ = ["SECTIONS", "RegisteredSection", "SummaryScope", "collect_sections"]
