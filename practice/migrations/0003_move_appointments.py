"""Hand Appointment over to the appointments app without touching its tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('practice', '0002_osteopathic_physician_late_entry_username_case'),
    ]

    # Appointments moved to their own app (appointments.0001). The tables stay as they
    # are: only Django's picture of which app owns the model changes here.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalappointment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalappointment',
                    name='patient',
                ),
                migrations.RemoveField(
                    model_name='historicalappointment',
                    name='therapist',
                ),
                migrations.DeleteModel(
                    name='Appointment',
                ),
                migrations.DeleteModel(
                    name='HistoricalAppointment',
                ),
            ],
        ),
    ]
