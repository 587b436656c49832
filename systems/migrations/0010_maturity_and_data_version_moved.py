"""Maturity's models moved to the maturity app, and the data-version counter to core, with
their tables kept: this only removes them from systems' state (maturity 0001 and core 0001
add them to their new apps' state and move their content types)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('systems', '0009_total_ordering'),
        ('maturity', '0001_initial'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalAssessmentDomainRating'),
                migrations.DeleteModel(name='HistoricalAssessment'),
                migrations.DeleteModel(name='HistoricalMaturityDomain'),
                migrations.DeleteModel(name='HistoricalMaturityLevel'),
                migrations.DeleteModel(name='HistoricalMaturityFramework'),
                migrations.DeleteModel(name='AssessmentDomainRating'),
                migrations.DeleteModel(name='Assessment'),
                migrations.DeleteModel(name='MaturityDomain'),
                migrations.DeleteModel(name='MaturityLevel'),
                migrations.DeleteModel(name='MaturityFramework'),
                migrations.DeleteModel(name='DataVersion'),
            ],
        ),
    ]
