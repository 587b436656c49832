"""A migration step for models that move between apps with their tables kept.

The migration loader skips modules whose names start with an underscore, so this is a helper
the apps' migrations import, not a migration itself."""


def move_content_types(from_label: str, to_label: str, models: list[str]):
    """A RunPython function moving the models' content types from one app label to another,
    so the permissions on them (which roles and users hold) and admin log entries about them
    follow the models. A content type already under the new label is left as it is."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_types = ContentType.objects.using(schema_editor.connection.alias)
        taken = set(
            content_types.filter(app_label=to_label, model__in=models).values_list(
                "model", flat=True
            )
        )
        content_types.filter(app_label=from_label, model__in=set(models) - taken).update(
            app_label=to_label
        )

    return move
