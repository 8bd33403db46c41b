from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kyoten.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from kyoten.core import (
            checks,  # noqa: F401  (registers system checks)
            public_cache,
        )

        public_cache.connect()
