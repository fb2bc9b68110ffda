from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clipcontest.web"
    label = "web"
