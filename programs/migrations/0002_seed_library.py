from django.db import migrations


def load(apps, schema_editor):
    from programs.seed.loader import load_library

    load_library(apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
