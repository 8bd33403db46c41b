from kyoten.notices.selectors import unread_count


def unread(request):
    """The unread count beside the inbox link in the header (one COUNT on an index)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"unread_notices": unread_count(user)}
