from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "kyoten.allocation"
    label = "allocation"
