"""Compressed pages: gzip for HTML, CSV and JSON, safely.

Django's GZipMiddleware mitigates BREACH (an attacker who can reflect text into a compressed
page beside a secret learns the secret from the page's size) by adding random bytes to every
compressed response, and Django masks its CSRF token afresh on every response. On top of that,
a response that shows a secret of its own (a new API token's, shown once) is marked
`never_compress` and sent as it is, as Django's guidance on BREACH advises. Files already
compressed (PDF, Word, XLSX and zips) and static files (WhiteNoise serves them compressed at
build time) are left alone.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/html", "text/csv", "application/json", "application/vnd.oai.openapi")


def never_compress(response):
    """Mark `response` (which shows a secret) to be sent uncompressed."""
    response.never_compress = True
    return response


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if getattr(response, "never_compress", False):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
