from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0006_planner_due"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="archivednotification",
            index=models.Index(
                condition=models.Q(("kind__in", ["nudge", "inactivity_alert", "questionnaire"])),
                fields=["source"],
                name="archived_notification_once",
            ),
        ),
    ]
