"""Appointment, formerly practice.Appointment, in its own app."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def adopt_content_types(apps, schema_editor):
    """Move the content types (and with them the permissions granted to the role
    groups and the admin's change log) to the new app label, so nothing is orphaned."""
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="practice", model__in=["appointment", "historicalappointment"]
    ).update(app_label="appointments")


def release_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(
        app_label="appointments", model__in=["appointment", "historicalappointment"]
    ).update(app_label="practice")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('patients', '0006_held_patient_indexes'),
        ('practice', '0003_move_appointments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The model was practice.Appointment, whose migrations created its tables. They
        # keep their names (db_table and the history's table_name), so this only tells
        # Django which app owns them; every appointment and its history stay in place.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalAppointment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('starts_at', models.DateTimeField()),
                        ('duration_minutes', models.PositiveSmallIntegerField(default=45)),
                        ('ends_at', models.DateTimeField(editable=False)),
                        ('kind', models.CharField(choices=[('evaluation', 'Evaluation'), ('follow_up', 'Follow-up'), ('re_evaluation', 'Re-evaluation')], default='follow_up', max_length=20)),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('confirmed', 'Confirmed'), ('attended', 'Attended'), ('cancelled', 'Cancelled'), ('no_show', 'No-show')], default='scheduled', max_length=20)),
                        ('notes', models.TextField(blank=True)),
                        ('late_entry_reason', models.TextField(blank=True, verbose_name='reason for recording a past visit')),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('patient', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='patients.patient')),
                        ('therapist', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='practice.staffmember')),
                    ],
                    options={
                        'verbose_name': 'historical appointment',
                        'verbose_name_plural': 'historical appointments',
                        'db_table': 'practice_historicalappointment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Appointment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField()),
                        ('duration_minutes', models.PositiveSmallIntegerField(default=45)),
                        ('ends_at', models.DateTimeField(editable=False)),
                        ('kind', models.CharField(choices=[('evaluation', 'Evaluation'), ('follow_up', 'Follow-up'), ('re_evaluation', 'Re-evaluation')], default='follow_up', max_length=20)),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('confirmed', 'Confirmed'), ('attended', 'Attended'), ('cancelled', 'Cancelled'), ('no_show', 'No-show')], default='scheduled', max_length=20)),
                        ('notes', models.TextField(blank=True)),
                        ('late_entry_reason', models.TextField(blank=True, verbose_name='reason for recording a past visit')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('patient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='patients.patient')),
                        ('therapist', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='practice.staffmember')),
                    ],
                    options={
                        'db_table': 'practice_appointment',
                        'ordering': ['starts_at'],
                        'indexes': [models.Index(fields=['therapist', 'starts_at'], name='practice_ap_therapi_d4ae45_idx'), models.Index(fields=['patient', 'starts_at'], name='practice_ap_patient_2e9de3_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('duration_minutes__gte', 5), ('duration_minutes__lte', 480)), name='appointment_duration_5_to_480_minutes'), models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='appointment_ends_after_start')],
                    },
                ),
            ],
        ),
        migrations.RunPython(adopt_content_types, release_content_types),
    ]
