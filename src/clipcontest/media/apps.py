from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "clipcontest.media"
    label = "media"
