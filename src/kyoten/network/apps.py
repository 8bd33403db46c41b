from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kyoten.network"
    label = "network"
