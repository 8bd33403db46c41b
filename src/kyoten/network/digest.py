"""E-mail digests of news and events, per subscriber (their regions and fields)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kyoten.network.models import Subscription
from kyoten.network.selectors import news_feed_for_user


def digest_text(user, items) -> str:
    lines = [f"{user} 様", "", "拠点ネットワークの新着情報です。", ""]
    for n in items:
        when = f" [{n.starts_at:%Y-%m-%d %H:%M}]" if n.starts_at else ""
        where = n.hub.name if n.hub_id else (n.get_block_display() or "全国")
        lines.append(f"・{n.title}{when}（{where}）")
    lines += ["", "配信設定はネットワークのページで変更できます。"]
    return "\n".join(lines)


def send_digests(*, since, dry_run: bool = False, stdout=None) -> int:
    """One e-mail per subscriber with new items since `since` (or their last digest)."""
    sent = 0
    subs = Subscription.objects.filter(digest=True).select_related("user")
    for sub in subs:
        user = sub.user
        if not user.email or not user.is_active:
            continue
        start = max(since, sub.last_digest_at) if sub.last_digest_at else since
        items = list(news_feed_for_user(user).filter(published_at__gte=start)[:50])
        if not items:
            continue
        if dry_run:
            if stdout is not None:
                stdout.write(f"{user.email}: {len(items)} item(s)")
            sent += 1
            continue
        with transaction.atomic():
            send_mail(
                subject=f"[kyoten] 拠点ネットワーク新着 {len(items)} 件",
                message=digest_text(user, items),
                from_email=None,
                recipient_list=[user.email],
            )
            Subscription.objects.filter(pk=sub.pk).update(last_digest_at=timezone.now())
        sent += 1
    return sent
