from django.db import migrations


def load(apps, schema_editor):
    from programs.seed.spanish import load_spanish

    load_spanish(apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_library_translations_and_media")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
