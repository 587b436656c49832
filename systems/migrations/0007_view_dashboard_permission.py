from django.db import migrations


class Migration(migrations.Migration):
    """The one right every dashboard page and export asks for (the Analyst role's)."""

    dependencies = [
        ("systems", "0006_maturity"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="system",
            options={
                "ordering": ["name"],
                "permissions": [("view_dashboard", "Can view the dashboard pages and exports")],
            },
        ),
    ]
