from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kyoten.notices"
    label = "notices"
