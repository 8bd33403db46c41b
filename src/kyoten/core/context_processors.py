from kyoten.core.registry import app_modules


def navigation(request):
    """Menu entries for the signed-in user, collected from each app's `nav.nav_items`, in
    lifecycle order; a nav module with `LAST = True` (the people around the program:
    invitations, sent mail) goes after the lifecycle's own entries."""
    user = request.user
    first, last = [], []
    for _app, module in app_modules("nav"):
        (last if getattr(module, "LAST", False) else first).extend(module.nav_items(user))
    return {"nav_items": first + last}
