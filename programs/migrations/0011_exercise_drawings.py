from django.db import migrations


def load(apps, schema_editor):
    from programs.seed.drawings import load_drawings

    load_drawings(apps)


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_spanish_library")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
