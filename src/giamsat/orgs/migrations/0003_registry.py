"""The reference organisations and their 2025 events, loaded by `migrate` itself, so that a
new database is a working system (an import needs the registry to name agencies)."""

from django.db import migrations


def load(apps, schema_editor):
    from giamsat.orgs.reference import load_reference

    load_reference(apps, communes=False)  # the communes: 0005_communes


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_bloc_kind")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
