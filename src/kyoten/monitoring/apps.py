from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "kyoten.monitoring"
    label = "monitoring"
