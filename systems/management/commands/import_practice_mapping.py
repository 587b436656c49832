from ._import_base import ImportCommand


class Command(ImportCommand):
    format_slug = "practice-mapping"
