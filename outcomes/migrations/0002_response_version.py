from django.db import migrations, models

# What every response so far was given in: the wording outcomes.instruments served
# until responses recorded it. Frozen here, so a later edition does not rewrite history.
VERSIONS = {
    "odi": "ODI 2.1a (paraphrase 1)",
    "nprs": "NPRS 0-10 (paraphrase 1)",
    "rmdq": "RMDQ-24 (paraphrase 1)",
    "startback": "STarT Back 9-item (paraphrase 1)",
}


def backfill(apps, schema_editor):
    for name in ("QuestionnaireResponse", "HistoricalQuestionnaireResponse"):
        model = apps.get_model("outcomes", name)
        for code, version in VERSIONS.items():
            model.objects.filter(code=code).update(instrument_version=version, language="en")


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name="instrument_version",
                field=models.CharField(
                    default="",
                    help_text="The version of the questionnaire's wording it was given in.",
                    max_length=40,
                ),
                preserve_default=False,
            )
            for model_name in ("questionnaireresponse", "historicalquestionnaireresponse")
        ),
        *(
            migrations.AddField(
                model_name=model_name,
                name="language",
                field=models.CharField(
                    default="", help_text="The language it was given in.", max_length=8
                ),
                preserve_default=False,
            )
            for model_name in ("questionnaireresponse", "historicalquestionnaireresponse")
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
