from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "kyoten.review"
    label = "review"
