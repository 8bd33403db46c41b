"""Extension points: each lifecycle app may offer optional modules that core discovers.

`urls` (pages under /<app>/), `api` (a ninja `router`), `nav` (`nav_items(user)`),
`todo` (`todos(user)`) and `demo` (`load(rng)`). Core never imports an app by name.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from django.conf import settings


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """(app, module) for every lifecycle app that has `kyoten.<app>.<name>`, in lifecycle order."""
    found = []
    for app in settings.LIFECYCLE_APPS:
        dotted = f"kyoten.{app}.{name}"
        if importlib.util.find_spec(dotted) is not None:
            found.append((app, importlib.import_module(dotted)))
    return found
