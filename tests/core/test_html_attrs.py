"""`{% html_attrs %}` (core/templatetags/html_attrs.py) writes what the included template it
replaced wrote, for any attributes, classes and values: held equal to that template's text,
kept here."""

from django.template import Context, Template
from django.utils.safestring import mark_safe
from django_tables2.utils import AttributeDict
from hypothesis import given
from hypothesis import strategies as st

from core.templatetags.html_attrs import html_attrs

# templates/_components/_attrs.html as it was, after its comment.
INCLUDED = (
    ' class="{% if not attrs.class %}{{ base_class }}{% elif base_class in attrs.class.split %}'
    '{{ attrs.class }}{% else %}{{ base_class }} {{ attrs.class }}{% endif %}"'
    "{% for name, value in attrs.items %}"
    '{% if name != "class" and name != skip and name != "th" and name != "td" and name != "tf"'
    ' and name != "cell" and name != "thead" and name != "tbody" and name != "tfoot"'
    ' and name|slice:":1" != "_" and value is not None and value is not False %}'
    " {{ name }}{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}"
    "{% endif %}{% endfor %}"
)

TEXT = st.text(alphabet="ab-_ <>&\"'é", max_size=12)
NAMES = st.one_of(
    st.sampled_from(["class", "id", "th", "td", "tf", "cell", "thead", "tbody", "tfoot"]),
    st.sampled_from(["_ordering", "data-sort", "aria-label", "colspan", "hidden"]),
    st.text(alphabet="abz-_<&", min_size=1, max_size=8),
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    TEXT,
    TEXT.map(mark_safe),
    st.sampled_from(["nhsuk-table__cell", "nhsuk-table__cell--numeric", "a nhsuk-table__cell"]),
)
CLASSES = st.one_of(
    st.just(""), TEXT, st.sampled_from(["nhsuk-table__cell", "nhsuk-input nhsuk-input--error"])
)


@given(
    attrs=st.one_of(
        st.just(""),
        st.dictionaries(NAMES, VALUES, max_size=6),
        st.dictionaries(NAMES, VALUES, max_size=6).map(AttributeDict),
    ),
    base_class=CLASSES,
    skip=st.one_of(st.none(), st.just("id")),
)
def test_html_attrs_writes_what_the_included_template_wrote(attrs, base_class, skip):
    context = {"attrs": attrs, "base_class": base_class}
    if skip is not None:
        context["skip"] = skip
    expected = Template(INCLUDED).render(Context(context))
    assert html_attrs(attrs, base_class, skip) == expected


def test_a_cell_keeps_its_own_class_and_drops_the_nested_keys():
    attrs = AttributeDict(
        {"class": "nhsuk-table__cell--numeric", "td": {"x": 1}, "_ordering": {}, "hidden": True}
    )
    assert html_attrs(attrs, "nhsuk-table__cell") == (
        ' class="nhsuk-table__cell nhsuk-table__cell--numeric" hidden'
    )
