"""Where an appointment is held, the patient's confirmation and cancellation, and when
the row last changed (for apps catching up after being offline)."""

import django.core.validators
import django.utils.timezone
from django.db import migrations, models


def updated_when_created(apps, schema_editor):
    """Rows stored before this had no change time: their creation is the best known."""
    appointment = apps.get_model("appointments", "Appointment")
    appointment.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0001_move_appointments'),
        ('practice', '0007_clinic_contact_and_cancellation_window'),
    ]

    operations = [
        migrations.AddField(
            model_name='appointment',
            name='cancellation_reason',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='appointment',
            name='cancelled_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='appointment',
            name='cancelled_by_patient',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='appointment',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='appointment',
            name='location',
            field=models.TextField(blank=True, help_text="Where the patient should go, as they should read it. Blank: the clinic's address."),
        ),
        migrations.AddField(
            model_name='appointment',
            name='telehealth_url',
            field=models.URLField(blank=True, help_text="The video call's link, for a visit held remotely.", max_length=500, validators=[django.core.validators.URLValidator(schemes=['https', 'http'])], verbose_name='telehealth link'),
        ),
        migrations.AddField(
            model_name='appointment',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='cancellation_reason',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='cancelled_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='cancelled_by_patient',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='location',
            field=models.TextField(blank=True, help_text="Where the patient should go, as they should read it. Blank: the clinic's address."),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='telehealth_url',
            field=models.URLField(blank=True, help_text="The video call's link, for a visit held remotely.", max_length=500, validators=[django.core.validators.URLValidator(schemes=['https', 'http'])], verbose_name='telehealth link'),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='updated_at',
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name='appointment',
            index=models.Index(fields=['patient', 'updated_at'], name='practice_ap_patient_cc7a2a_idx'),
        ),
        migrations.RunPython(updated_when_created, migrations.RunPython.noop),
    ]
