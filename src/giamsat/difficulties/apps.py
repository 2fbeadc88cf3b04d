from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DifficultiesConfig(AppConfig):
    name = "giamsat.difficulties"
    label = "difficulties"
    verbose_name = _("Difficulties and proposals")
