from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "kyoten.equipment"
    label = "equipment"
