"""URL path converters for things written in URLs by their slug (a financial year `2018-19`,
a period `2017-18-q3`)."""


class SlugConverter:
    """Matches `regex`; the view gets the text and looks the thing up itself, and `reverse`
    takes either the text or anything with a `slug`."""

    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return getattr(value, "slug", value)
