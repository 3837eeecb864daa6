from django.db import migrations


def load(apps, schema_editor):
    from education.seed.spanish import load_spanish

    load_spanish(apps)


class Migration(migrations.Migration):
    dependencies = [("education", "0003_topic_translations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
