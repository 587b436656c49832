"""Published findings: what an official paper said a group of systems did, kept as a sourced
fact beside what these data compute for the same question.

Paragraphs 5 and 6 of the September 2018 NHS England and NHS Improvement board paper say how
many of the ten Wave 1 ICSs were above the national average on each standard in 2017/18, and
which six did better than they planned. Each such statement is a row of a model built on
`PublishedFinding`: the question in a form the product can compute (the measure, the
financial year, the wave, the comparison), the published answer (a count of a population, and
the systems named where the paper names them), the words quoted and where they stand. The
performance and finance apps each own their questions (`performance.PublishedFinding`,
`finance.PublishedFinding`); this module holds what they share: the fields, the loader and
the sentence that sets the paper's count beside the computed one.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models

from .models import Sourced, Versioned
from .wording import Noun, count_phrase, number_word


class PublishedFindingQuerySet(models.QuerySet):
    def about(self, *, start_year: int, wave):
        """The findings about `wave`'s systems in the financial year starting in
        `start_year`, with the systems they name."""
        return self.filter(start_year=start_year, wave=wave).prefetch_related("named_systems")


class PublishedFinding(Sourced, Versioned):
    """A published statement of how many of a wave's systems did something in a financial
    year, with the words quoted and where they stand."""

    key = models.SlugField(max_length=80, unique=True, help_text="e.g. 2017-18-wave-1-ae")
    start_year = models.PositiveSmallIntegerField(
        help_text="The financial year the finding is about, by the year it starts: 2017 for "
        "2017/18."
    )
    wave = models.ForeignKey(
        "systems.Wave",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_findings",
        help_text="The group of systems the finding counts.",
    )
    published_count = models.PositiveSmallIntegerField(
        help_text="How many systems the paper says did it, e.g. 7."
    )
    published_of = models.PositiveSmallIntegerField(
        help_text="Of how many systems, e.g. 10 (the wave as the paper counted it)."
    )
    named_systems = models.ManyToManyField(
        "systems.System",
        blank=True,
        related_name="%(app_label)s_findings",
        help_text="The systems the paper names as having done it, where it names them.",
    )
    quote = models.TextField(help_text="The paper's words, exactly.")
    document = models.CharField(
        max_length=300,
        help_text="The paper, e.g. NHS England and NHS Improvement board paper, Integrated "
        "Care Systems Programme Update.",
    )
    published_on = models.DateField(help_text="The date of the paper or of its meeting.")
    paragraph = models.CharField(max_length=40, help_text="Where in the paper, e.g. 5.")

    objects = PublishedFindingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["start_year", "key"]
        constraints = []

    def __str__(self):
        return self.key

    @property
    def year_label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def citation(self) -> str:
        """'NHS England and NHS Improvement board paper, 27 September 2018, paragraph 5'."""
        day = self.published_on
        return f"{self.document}, {day.day} {day:%B %Y}, paragraph {self.paragraph}"


@dataclass(frozen=True)
class FindingCheck:
    """A published finding beside the product's count for the same question, and why they
    may differ."""

    finding: PublishedFinding
    question: str  # "at or above the national average for the A&E 4-hour standard"
    group: Noun  # Noun("Wave 1 ICS", "Wave 1 ICSs")
    computed: int  # what these data give
    counted: int  # of how many systems with figures
    reasons: tuple[str, ...] = ()
    comparable: bool = True  # False when every figure counted is illustrative

    @property
    def agrees(self) -> bool:
        return (self.computed, self.counted) == (
            self.finding.published_count,
            self.finding.published_of,
        )

    @property
    def published_claim(self) -> str:
        """'The paper reported seven of the ten Wave 1 ICSs at or above ... in 2017/18', for
        a page that cites the paper beside it."""
        finding = self.finding
        phrase = count_phrase(finding.published_count, finding.published_of, self.group)
        return f"The paper reported {phrase} {self.question} in {finding.year_label}"

    @property
    def verdict(self) -> str:
        """'Agrees', 'Differs', or 'Not comparable' when these figures are made up."""
        if not self.comparable:
            return "Not comparable"
        return "Agrees" if self.agrees else "Differs"

    @property
    def computed_sentence(self) -> str:
        """'These data give six of ten, because ...'"""
        if not self.counted:
            return f"These data have no figures for any of them in {self.finding.year_label}."
        given = f"These data give {number_word(self.computed)} of {number_word(self.counted)}"
        reasons = "; and ".join(self.reasons)
        if not self.comparable:
            return f"{given}; {reasons}."
        if self.agrees:
            return (
                f"{given}, as the paper does, though {reasons}."
                if reasons
                else (f"{given}, as the paper does.")
            )
        return f"{given}, because {reasons}." if reasons else f"{given}."


def load_published_findings(
    load, name: str, model: type[PublishedFinding], question, systems: dict
) -> None:
    """The findings shipped as `systems/reference_data/<name>.csv`, through the systems
    reference loader's `load` (one row per `key`, written only when it differs, so loading
    twice changes nothing), then the systems each names, by slug.

    question: a CSV row to the model's own fields (the measure and the comparison)."""
    waves = {wave.slug: wave for wave in model.wave.field.related_model._default_manager.all()}
    named: dict[str, list[str]] = {}

    def build(row):
        named[row["key"]] = [slug for slug in row["named_systems"].split(";") if slug]
        return (
            model,
            {"key": row["key"]},
            {
                "start_year": int(row["start_year"]),
                "wave": waves[row["wave"]],
                "published_count": int(row["published_count"]),
                "published_of": int(row["published_of"]),
                "quote": row["quote"],
                "document": row["document"],
                "published_on": dt.date.fromisoformat(row["published_on"]),
                "paragraph": row["paragraph"],
                "source": row["source"],
                "unverified": row["unverified"] == "1",
                "note": row["note"],
                **question(row),
            },
        )

    load(f"{model._meta.app_label} published findings", name, build)
    for finding in model._default_manager.filter(key__in=named).prefetch_related("named_systems"):
        wanted = {systems[slug].pk for slug in named[finding.key]}
        if {system.pk for system in finding.named_systems.all()} != wanted:
            finding.named_systems.set(wanted)


def checks_paragraph(checks: list[FindingCheck]) -> str:
    """The checks as one paragraph of a board paper, each source cited the first time only."""
    cited, sentences = set(), []
    for check in checks:
        citation = check.finding.citation
        claim = check.published_claim + ("." if citation in cited else f" ({citation}).")
        cited.add(citation)
        sentences.append(f"{claim} {check.computed_sentence}")
    return " ".join(sentences)
