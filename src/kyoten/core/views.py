from django.shortcuts import render

from kyoten.core import selectors
from kyoten.core.registry import app_modules


def home(request):
    """Each role sees what it has to do next, collected from each app's `todo.todos`."""
    todos = []
    for _app, module in app_modules("todo"):
        todos.extend(module.todos(request.user))
    return render(request, "core/home.html", {"todos": todos})


def prefecture_list(request):
    return render(request, "core/prefectures.html", {"prefectures": selectors.prefectures()})
