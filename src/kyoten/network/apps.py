from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kyoten.network"
    label = "network"
    verbose_name = "network"

    def ready(self) -> None:
        from kyoten.network import receivers

        receivers.connect()
