"""Drop the single pain columns 0007 copied, and check the new readings."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_split_single_pain_values"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="exercisesession",
            name="session_pain_0_to_10",
        ),
        migrations.RemoveField(
            model_name="exercisesession",
            name="pain_after",
        ),
        migrations.RemoveField(
            model_name="exercisesession",
            name="pain_before",
        ),
        migrations.RemoveField(
            model_name="historicalexercisesession",
            name="pain_after",
        ),
        migrations.RemoveField(
            model_name="historicalexercisesession",
            name="pain_before",
        ),
        migrations.RemoveField(
            model_name="historicalsessionexercise",
            name="pain_after",
        ),
        migrations.RemoveField(
            model_name="historicalsessionexercise",
            name="pain_before",
        ),
        migrations.RemoveField(
            model_name="sessionexercise",
            name="pain_after",
        ),
        migrations.RemoveField(
            model_name="sessionexercise",
            name="pain_before",
        ),
        migrations.AddConstraint(
            model_name="exercisesession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("back_pain_after__lte", 10),
                    ("back_pain_before__lte", 10),
                    ("leg_pain_after__lte", 10),
                    ("leg_pain_before__lte", 10),
                ),
                name="session_back_and_leg_pain_0_to_10",
            ),
        ),
        migrations.AddConstraint(
            model_name="exercisesession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        models.Q(
                            ("back_pain_after__isnull", True), ("back_pain_before__isnull", True)
                        ),
                        models.Q(
                            ("back_pain_after__isnull", False), ("back_pain_before__isnull", False)
                        ),
                        _connector="OR",
                    ),
                    models.Q(
                        models.Q(
                            ("leg_pain_after__isnull", True), ("leg_pain_before__isnull", True)
                        ),
                        models.Q(
                            ("leg_pain_after__isnull", False), ("leg_pain_before__isnull", False)
                        ),
                        _connector="OR",
                    ),
                ),
                name="session_pain_before_and_after",
            ),
        ),
        migrations.AddConstraint(
            model_name="exercisesession",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("back_pain_before__isnull", False),
                    ("leg_pain_before__isnull", False),
                    _connector="OR",
                ),
                name="session_back_or_leg_pain",
            ),
        ),
        migrations.AddConstraint(
            model_name="sessionexercise",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("back_pain_after__lte", 10),
                    ("back_pain_before__lte", 10),
                    ("leg_pain_after__lte", 10),
                    ("leg_pain_before__lte", 10),
                ),
                name="session_exercise_pain_0_to_10",
            ),
        ),
    ]
