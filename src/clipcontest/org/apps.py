from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "clipcontest.org"
    label = "org"
