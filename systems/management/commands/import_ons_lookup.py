from ._import_base import ImportCommand


class Command(ImportCommand):
    format_slug = "ons-lookup"
