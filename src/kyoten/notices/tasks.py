"""Mail goes out in a django-tasks task: with a worker, a slow mail server never slows a page."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.KYOTEN_SITE_URL.rstrip("/") + url


@task()
def send_email(to: list[str], subject: str, body: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=to)


@task()
def send_notice_email(notice_id: int) -> None:
    from kyoten.notices.models import Notice

    notice = Notice.objects.select_related("recipient").filter(pk=notice_id).first()
    if notice is None or notice.emailed_at or not notice.recipient.email:
        return
    user = notice.recipient
    with translation.override(user.language or "ja"):
        text = notice.text
        lines = [
            _("Dear %(name)s,") % {"name": str(user)},
            "",
            text,
        ]
        if notice.url:
            lines += ["", _("Open it here:"), absolute(notice.url)]
        lines += [
            "",
            "--",
            _("kyoten: regional industry–academia–government joint research hubs"),
            _("Choose which notices reach you by e-mail: %(url)s")
            % {"url": absolute("/accounts/profile/")},
        ]
        subject = f"[kyoten] {text}"[:200]
    send_mail(
        subject=subject, message="\n".join(lines), from_email=None, recipient_list=[user.email]
    )
    type(notice).objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
