from kyoten.core.registry import app_modules


def navigation(request):
    """Menu entries for the signed-in user, collected from each app's `nav.nav_items`."""
    user = request.user
    items = []
    for _app, module in app_modules("nav"):
        items.extend(module.nav_items(user))
    return {"nav_items": items}
