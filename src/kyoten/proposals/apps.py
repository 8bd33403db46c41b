from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "kyoten.proposals"
    label = "proposals"
