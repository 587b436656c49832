"""The maturity page. Views load, call and render; the shaping lives in presenters.py."""

from functools import cached_property

from core.caching import cached_fragment
from core.pages import TablePage

from .filters import MaturityFilter
from .models import MaturityFramework
from .presenters import matrix_caption, maturity_page_context
from .queries import matrix_assessments
from .tables import MaturityTable


class MaturityMatrixView(TablePage):
    """Every system's maturity on the date: under each framework its latest rating, or,
    with one framework chosen, every assessment under it up to the date."""

    template_name = "maturity/matrix.html"
    table_class = MaturityTable
    filterset_class = MaturityFilter
    title = "Maturity"
    export_name = "ICS Tracker maturity"
    intro = (
        "How systems were rated, under which framework and when. Frameworks came and went, "
        "each with its own levels: a rating holds until the system's next assessment under "
        "the same framework. Only ratings found in the sources are shown; none are made up."
    )

    @cached_property
    def chosen_framework(self) -> MaturityFramework | None:
        """The framework named by `?framework=<slug>`, or None for every framework."""
        slug = self.request.GET.get("framework")
        return MaturityFramework.objects.filter(slug=slug).first() if slug else None

    def get_queryset(self):
        return matrix_assessments(self.request.as_at, self.chosen_framework)

    def get_caption(self) -> str:
        return matrix_caption(self.request.as_at, self.chosen_framework)

    def get_context_data(self, **kwargs):
        framework, as_at = self.chosen_framework, self.request.as_at
        context = cached_fragment(
            ("maturity-chart", as_at, framework.pk if framework else None),
            lambda: maturity_page_context(as_at, framework),
        )
        return super().get_context_data(intro=self.intro, framework=framework, **context, **kwargs)
