from django.db import migrations


def load(apps, schema_editor):
    from education.seed.loader import load_topics

    load_topics(apps)


def unload(apps, schema_editor):
    from education.seed.loader import unload_topics

    unload_topics(apps)


class Migration(migrations.Migration):
    dependencies = [("education", "0001_topics")]

    operations = [migrations.RunPython(load, unload)]
