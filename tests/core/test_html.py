"""core.html.compact: the cached tables lose their indentation, never a word or a space a
browser would show."""

import re
from html.parser import HTMLParser

from django.utils.safestring import SafeData, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from core.html import compact


class _Shown(HTMLParser):
    """What a browser would show of some HTML, as a sequence: each tag, and the text between
    tags with its whitespace runs collapsed to one space (as normal flow does)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts.append(f"<{tag} {attrs}>")

    def handle_endtag(self, tag):
        self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))


def shown(html: str) -> list[str]:
    parser = _Shown()
    parser.feed(html)
    parser.close()
    return [part for part in parser.parts if part != ""]


TAGS = st.sampled_from(["<td>", "</td>", '<tr class="a  b">', "</tr>", '<a href="/x/">', "</a>"])
TEXT = st.text(alphabet=st.sampled_from(list("ab \n\t")), max_size=8)


@given(st.lists(st.tuples(TAGS, TEXT), max_size=30))
def test_compacting_changes_nothing_a_browser_shows(pieces):
    html = "".join(tag + text for tag, text in pieces)
    assert shown(compact(html)) == shown(html)


def test_a_rendered_table_loses_its_blank_lines_and_indentation():
    html = (
        '<tr class="row">\n    \n    <td>North  East</td>\n\n'
        '    <td><a href="/x/">A</a> B</td>\n</tr>'
    )
    assert (
        compact(html)
        == '<tr class="row">\n<td>North  East</td>\n<td><a href="/x/">A</a> B</td>\n</tr>'
    )


def test_rendered_html_stays_safe_and_plain_text_stays_plain():
    assert isinstance(compact(mark_safe("<td>\n  </td>")), SafeData)
    assert not isinstance(compact("<td>\n  </td>"), SafeData)
