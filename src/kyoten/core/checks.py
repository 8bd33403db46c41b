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
    if settings.KYOTEN_HTTPS and not settings.KYOTEN_SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                "KYOTEN_HTTPS is on but KYOTEN_SITE_URL does not start with https://",
                hint="Links in e-mails use KYOTEN_SITE_URL: set it to the https:// address.",
                id="kyoten.W002",
            )
        )
    if "kyoten.core.middleware.ContentSecurityPolicyMiddleware" not in settings.MIDDLEWARE:
        problems.append(
            Warning(
                "No Content-Security-Policy: ContentSecurityPolicyMiddleware is not in MIDDLEWARE.",
                id="kyoten.W003",
            )
        )
    return problems


@register()
def kyoten_time_zone(app_configs, **kwargs):
    if settings.TIME_ZONE != "Asia/Tokyo":
        return [Error("TIME_ZONE must be Asia/Tokyo (fiscal years)", id="kyoten.E001")]
    return []
