from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "giamsat.tasks"
    verbose_name = _("Tasks")

    def ready(self):
        from giamsat import derived
        from giamsat.tasks import facts  # noqa: F401  (connects the signals)

        derived.connect()
