from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "kyoten.hubs"
    label = "hubs"

    def ready(self) -> None:
        from kyoten.hubs import receivers

        receivers.connect()
