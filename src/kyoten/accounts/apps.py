from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kyoten.accounts"
    label = "accounts"
