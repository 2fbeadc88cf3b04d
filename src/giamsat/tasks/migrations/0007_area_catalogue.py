"""The programme's areas, loaded by `migrate`, and tasks read before placed in them."""

from django.db import migrations


def load(apps, schema_editor):
    from giamsat.tasks.areas import Catalogue, load_areas, place

    load_areas(apps)
    catalogue = Catalogue.load(apps)
    Task = apps.get_model("tasks", "Task")  # noqa: N806
    for task in Task.objects.filter(programme_area=None).only("pk", "area", "title"):
        place(task, catalogue)
        if task.programme_area is not None:
            Task.objects.filter(pk=task.pk).update(programme_area=task.programme_area,
                                                   area_basis=task.area_basis)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0006_programme_areas")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
