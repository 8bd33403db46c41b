from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kyoten.api"
    label = "api"
