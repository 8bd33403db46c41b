"""System checks that validate the configuration at start."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("security", deploy=True)
def kyoten_configuration(app_configs, **kwargs):
    problems = []
    if not settings.DEBUG and settings.SECRET_KEY.startswith("kyoten-insecure"):
        problems.append(
            Warning(
                "KYOTEN_SECRET_KEY is not set: a development key is in use.",
                hint="Set KYOTEN_SECRET_KEY to a long random string in production.",
                id="kyoten.W001",
            )
        )
    return problems


@register()
def kyoten_time_zone(app_configs, **kwargs):
    if settings.TIME_ZONE != "Asia/Tokyo":
        return [Error("TIME_ZONE must be Asia/Tokyo (fiscal years)", id="kyoten.E001")]
    return []
