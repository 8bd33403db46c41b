from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "kyoten.hubs"
    label = "hubs"
