from django.apps import AppConfig


class GiamsatConfig(AppConfig):
    name = "giamsat"
    verbose_name = "giamsat"
