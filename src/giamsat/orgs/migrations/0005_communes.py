"""The 3,321 communes, wards and special zones of 01/07/2025 under their provinces, with
their official codes (orgs/communes.py), written in bulk with their audit rows."""

from django.db import migrations


def load(apps, schema_editor):
    from giamsat.orgs.communes import load_communes

    load_communes(apps)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_name_choices")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
