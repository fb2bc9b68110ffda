from django.apps import AppConfig


class CockpitConfig(AppConfig):
    """The organizer's overview of one contest: it reads every app, none reads it."""

    name = "clipcontest.cockpit"
    label = "cockpit"
    verbose_name = "Cockpit"
