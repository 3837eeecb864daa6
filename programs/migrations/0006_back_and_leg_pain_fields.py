"""Back pain and leg pain apart, where the pain reached before the session, the pain
rules' verdict and whether the session was done during a hold.

The single pain columns stay until 0007 has copied them (0008 drops them).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0005_stop_details_and_resumption"),
    ]

    operations = [
        # The single pain columns become nullable until 0008 drops them, so that going
        # back can re-add them empty and 0007 refill them before they are required again.
        migrations.AlterField(
            model_name="exercisesession",
            name="pain_before",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="exercisesession",
            name="pain_after",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalexercisesession",
            name="pain_before",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalexercisesession",
            name="pain_after",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="back_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="back_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="during_hold",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="leg_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="leg_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="pain_extent_before",
            field=models.CharField(
                blank=True,
                choices=[
                    ("back", "Low back"),
                    ("buttock", "Buttock"),
                    ("thigh", "Thigh"),
                    ("calf", "Calf"),
                    ("foot", "Foot"),
                ],
                help_text="How far it reached before the session; blank when the app did not say.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="exercisesession",
            name="pain_response",
            field=models.CharField(
                blank=True,
                choices=[
                    ("steady", "No worsening"),
                    (
                        "centralization",
                        "Expected centralization response: back pain rose as the leg pain retreated",
                    ),
                    ("worsened", "Worsened: exercises stopped"),
                ],
                editable=False,
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="back_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="back_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="during_hold",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="leg_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="leg_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="pain_extent_before",
            field=models.CharField(
                blank=True,
                choices=[
                    ("back", "Low back"),
                    ("buttock", "Buttock"),
                    ("thigh", "Thigh"),
                    ("calf", "Calf"),
                    ("foot", "Foot"),
                ],
                help_text="How far it reached before the session; blank when the app did not say.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="historicalexercisesession",
            name="pain_response",
            field=models.CharField(
                blank=True,
                choices=[
                    ("steady", "No worsening"),
                    (
                        "centralization",
                        "Expected centralization response: back pain rose as the leg pain retreated",
                    ),
                    ("worsened", "Worsened: exercises stopped"),
                ],
                editable=False,
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="historicalsessionexercise",
            name="back_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalsessionexercise",
            name="back_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalsessionexercise",
            name="leg_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalsessionexercise",
            name="leg_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sessionexercise",
            name="back_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sessionexercise",
            name="back_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sessionexercise",
            name="leg_pain_after",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sessionexercise",
            name="leg_pain_before",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="exercisesession",
            name="pain_extent",
            field=models.CharField(
                choices=[
                    ("back", "Low back"),
                    ("buttock", "Buttock"),
                    ("thigh", "Thigh"),
                    ("calf", "Calf"),
                    ("foot", "Foot"),
                ],
                help_text="How far down the leg the pain reaches after the session.",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalexercisesession",
            name="pain_extent",
            field=models.CharField(
                choices=[
                    ("back", "Low back"),
                    ("buttock", "Buttock"),
                    ("thigh", "Thigh"),
                    ("calf", "Calf"),
                    ("foot", "Foot"),
                ],
                help_text="How far down the leg the pain reaches after the session.",
                max_length=10,
            ),
        ),
    ]
