"""The data-version counter, moved here from the systems app without touching the database.

Its table keeps the name it had in systems (`systems_dataversion`, set in Meta), so this
migration only tells Django's state that the model now lives here; systems 0010 removes it
from systems' state. Its content type moves with it, so the rights roles held on it carry over.
"""

from django.db import migrations, models

from ._content_types import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('systems', '0003_data_version'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DataVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.BigIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'data version',
                        'db_table': 'systems_dataversion',
                    },
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("systems", "core", ["dataversion"]),
            move_content_types("core", "systems", ["dataversion"]),
        ),
    ]
