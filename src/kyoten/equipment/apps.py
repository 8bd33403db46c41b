from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "kyoten.equipment"
    label = "equipment"

    def ready(self) -> None:
        from kyoten.equipment import totals

        totals.connect()
