"""The maturity models, moved here from the systems app without touching the database.

Their tables (and simple_history's tables of their history) keep the names they had in systems
(`systems_...`, set in each model's Meta and HistoricalRecords), so this migration only tells
Django's state that the models now live here; systems 0010 removes them from systems' state.
Existing content types move with them, so permissions, roles and admin history carry over.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from core.migrations._content_types import move_content_types

MOVED = [
    "maturityframework",
    "maturitylevel",
    "maturitydomain",
    "assessment",
    "assessmentdomainrating",
    "historicalmaturityframework",
    "historicalmaturitylevel",
    "historicalmaturitydomain",
    "historicalassessment",
    "historicalassessmentdomainrating",
]



class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('systems', '0009_total_ordering'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalMaturityFramework',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('name', models.CharField(db_index=True, max_length=200)),
                        ('slug', models.SlugField(max_length=100)),
                        ('publisher', models.CharField(blank=True, max_length=200)),
                        ('in_force_from', models.DateField()),
                        ('in_force_from_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5)),
                        ('in_force_until', models.DateField(blank=True, help_text='When it stopped being used; empty if not known.', null=True)),
                        ('in_force_until_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5)),
                        ('best_end', models.CharField(choices=[('first', 'The first level (order 1) is the best'), ('last', 'The last level (highest order) is the best')], default='first', help_text='Which end of the ordered levels is the best rating.', max_length=5)),
                        ('description', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical maturity framework',
                        'verbose_name_plural': 'historical maturity frameworks',
                        'db_table': 'systems_historicalmaturityframework',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='MaturityFramework',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('slug', models.SlugField(max_length=100, unique=True)),
                        ('publisher', models.CharField(blank=True, max_length=200)),
                        ('in_force_from', models.DateField()),
                        ('in_force_from_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5)),
                        ('in_force_until', models.DateField(blank=True, help_text='When it stopped being used; empty if not known.', null=True)),
                        ('in_force_until_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5)),
                        ('best_end', models.CharField(choices=[('first', 'The first level (order 1) is the best'), ('last', 'The last level (highest order) is the best')], default='first', help_text='Which end of the ordered levels is the best rating.', max_length=5)),
                        ('description', models.TextField(blank=True)),
                    ],
                    options={
                        'verbose_name': 'maturity framework',
                        'db_table': 'systems_maturityframework',
                        'ordering': ['in_force_from', 'name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('in_force_until__isnull', True), ('in_force_until__gte', models.F('in_force_from')), _connector='OR'), name='maturity_framework_end_after_start', violation_error_message='The end date is before the start date.')],
                    },
                ),
                migrations.CreateModel(
                    name='MaturityDomain',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('order', models.PositiveSmallIntegerField()),
                        ('name', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('in_use_from', models.DateField(blank=True, help_text='Only for a domain added after the framework began: the first day it applied.', null=True)),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='domains', to='maturity.maturityframework')),
                    ],
                    options={
                        'verbose_name': 'maturity domain',
                        'db_table': 'systems_maturitydomain',
                        'ordering': ['framework', 'order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalMaturityLevel',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('order', models.PositiveSmallIntegerField(help_text='Position on the scale, from 1; the framework says which end is best.')),
                        ('name', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('framework', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.maturityframework')),
                    ],
                    options={
                        'verbose_name': 'historical maturity level',
                        'verbose_name_plural': 'historical maturity levels',
                        'db_table': 'systems_historicalmaturitylevel',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalMaturityDomain',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('order', models.PositiveSmallIntegerField()),
                        ('name', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('in_use_from', models.DateField(blank=True, help_text='Only for a domain added after the framework began: the first day it applied.', null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('framework', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.maturityframework')),
                    ],
                    options={
                        'verbose_name': 'historical maturity domain',
                        'verbose_name_plural': 'historical maturity domains',
                        'db_table': 'systems_historicalmaturitydomain',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('assessed_on', models.DateField(help_text='For a date known only to the month or year, give the first day and set the precision.')),
                        ('precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5)),
                        ('evidence', models.TextField(blank=True, help_text='What the rating was based on.')),
                        ('source_url', models.URLField(blank=True, max_length=500)),
                        ('illustrative', models.BooleanField(default=False, help_text='Made up for demonstration: never a real rating.')),
                        ('system', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='systems.system')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='maturity.maturityframework')),
                    ],
                    options={
                        'verbose_name': 'maturity assessment',
                        'db_table': 'systems_assessment',
                        'ordering': ['system', 'assessed_on', 'framework'],
                    },
                ),
                migrations.CreateModel(
                    name='MaturityLevel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('order', models.PositiveSmallIntegerField(help_text='Position on the scale, from 1; the framework says which end is best.')),
                        ('name', models.CharField(max_length=200)),
                        ('description', models.TextField(blank=True)),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='levels', to='maturity.maturityframework')),
                    ],
                    options={
                        'verbose_name': 'maturity level',
                        'db_table': 'systems_maturitylevel',
                        'ordering': ['framework', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAssessmentDomainRating',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('assessment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.assessment')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('domain', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.maturitydomain')),
                        ('level', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.maturitylevel')),
                    ],
                    options={
                        'verbose_name': 'historical domain rating',
                        'verbose_name_plural': 'historical domain ratings',
                        'db_table': 'systems_historicalassessmentdomainrating',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('source', models.CharField(help_text='Where this fact comes from.', max_length=500)),
                        ('unverified', models.BooleanField(default=False, help_text='Found in only one secondary source, inferred, or not found at all.')),
                        ('note', models.TextField(blank=True)),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('assessed_on', models.DateField(help_text='For a date known only to the month or year, give the first day and set the precision.')),
                        ('precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', max_length=5)),
                        ('evidence', models.TextField(blank=True, help_text='What the rating was based on.')),
                        ('source_url', models.URLField(blank=True, max_length=500)),
                        ('illustrative', models.BooleanField(default=False, help_text='Made up for demonstration: never a real rating.')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('system', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='systems.system')),
                        ('framework', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.maturityframework')),
                        ('level', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='maturity.maturitylevel', verbose_name='overall level')),
                    ],
                    options={
                        'verbose_name': 'historical maturity assessment',
                        'verbose_name_plural': 'historical maturity assessments',
                        'db_table': 'systems_historicalassessment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='AssessmentDomainRating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='domain_ratings', to='maturity.assessment')),
                        ('domain', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ratings', to='maturity.maturitydomain')),
                        ('level', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='domain_ratings', to='maturity.maturitylevel')),
                    ],
                    options={
                        'verbose_name': 'domain rating',
                        'db_table': 'systems_assessmentdomainrating',
                        'ordering': ['assessment', 'domain__order', 'domain'],
                    },
                ),
                migrations.AddField(
                    model_name='assessment',
                    name='level',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='maturity.maturitylevel', verbose_name='overall level'),
                ),
                migrations.AddConstraint(
                    model_name='maturitydomain',
                    constraint=models.UniqueConstraint(fields=('framework', 'name'), name='maturity_domain_name_unique_per_framework', violation_error_message='This framework already has a domain of that name.'),
                ),
                migrations.AddConstraint(
                    model_name='maturitylevel',
                    constraint=models.UniqueConstraint(fields=('framework', 'order'), name='maturity_level_order_unique_per_framework', violation_error_message='This framework already has a level in that position.'),
                ),
                migrations.AddConstraint(
                    model_name='maturitylevel',
                    constraint=models.UniqueConstraint(fields=('framework', 'name'), name='maturity_level_name_unique_per_framework', violation_error_message='This framework already has a level of that name.'),
                ),
                migrations.AddConstraint(
                    model_name='maturitylevel',
                    constraint=models.CheckConstraint(condition=models.Q(('order__gte', 1)), name='maturity_level_order_from_one', violation_error_message='Levels are numbered from 1.'),
                ),
                migrations.AddConstraint(
                    model_name='assessmentdomainrating',
                    constraint=models.UniqueConstraint(fields=('assessment', 'domain'), name='one_rating_per_assessment_domain', violation_error_message='This assessment already rates that domain.'),
                ),
                migrations.AddIndex(
                    model_name='assessment',
                    index=models.Index(fields=['framework', 'assessed_on'], name='systems_ass_framewo_928ab4_idx'),
                ),
                migrations.AddConstraint(
                    model_name='assessment',
                    constraint=models.UniqueConstraint(fields=('system', 'framework', 'assessed_on'), name='one_assessment_per_system_framework_day', violation_error_message='This system already has an assessment under that framework on that date.'),
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("systems", "maturity", MOVED),
            move_content_types("maturity", "systems", MOVED),
        ),
    ]
