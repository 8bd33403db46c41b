from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "kyoten.calls"
    label = "calls"
