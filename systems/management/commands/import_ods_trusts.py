from ._import_base import ImportCommand


class Command(ImportCommand):
    format_slug = "ods-trusts"
