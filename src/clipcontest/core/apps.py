from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clipcontest.core"
    label = "core"
