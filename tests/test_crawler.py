"""The crawler (issue 16 part 1): walk the demo site as one login of every role (and anonymous)
and hold every page to the product's promises.

1. Walk: for each role, follow the same-site links the pages show, breadth first, preferring a
   URL pattern the role has not reached yet, at most PER_PATTERN URLs of a pattern and PAGE_LIMIT
   pages per role. HTML pages are parsed for links (anchors, images, htmx loads);
   PDFs, charts, sheets and feeds are requested and checked for 5xx only.
2. Every URL pattern of the site (the admin, the API and Django's set_language aside: they have
   their own tests) is reached by at least one role, or is listed in UNREACHABLE with the reason
   it cannot be: a one-time link from an e-mail, a page shown only after a POST, or a POST-only
   action (which must then answer a GET with 405).
3. Every URL the officer reached is requested again as each other role: never a 5xx (a page a
   role may not see answers 404 or 403, or sends to the login).
4. Japanese pages (the default): no raw key (enum values, KPI, section, block, form, criterion
   and finance-line keys, solver statuses), no `FY` + year, no amount of yen without separators
   (`¥800000000`, `800000000円`, or a bare number in a table column headed as money), no ISO
   day (`2026-12-08`) where a person reads a date. English deliberately shown beside Japanese is
   marked `lang="en"` and skipped.
5. English pages (Accept-Language: en), one page of every pattern: no text that is exactly a
   Japanese translation of the catalogues (a label left untranslated where a translation exists),
   outside elements marked `lang="ja"`.

No exemption list: a finding fails the test.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLResolver
from django.utils import translation

from kyoten.calls.program import DEFAULT_KPIS, DEFAULT_REVIEW_CRITERIA, FORM_LABELS, SECTIONS
from kyoten.core.reference import BLOCKS

pytestmark = pytest.mark.django_db(transaction=False)

LOGINS = [None, "officer", "pref-13", "gov-11", "reviewer1", "chair", "committee", "operator",
          "sme", "observer"]  # fmt: skip
PAGE_LIMIT = 45  # pages per role; the officer and the operator, who reach most, get more
PAGE_LIMITS = {"officer": 100, "operator": 90}
PER_PATTERN = 2  # URLs of one pattern per role
SKIP = ("/logout/", "/i18n/", "/admin/", "/api/", "/static/")
NOT_HTML = re.compile(r"\.(pdf|png|xlsx|csv|ics|xml|jsonld|json|svg)$|/(feed|atom|rss)")
# Patterns with their own tests, not pages of the site.
OUT_OF_SCOPE = ("admin/", "api/", "i18n/")

ONE_TIME = "one-time link from an e-mail (a token)"
POST_ONLY = "POST-only action"
UNREACHABLE = {
    "accounts/invite/<str:token>/": ONE_TIME,
    "accounts/verify/<str:token>/": ONE_TIME,
    "accounts/password/reset/<uidb64>/<token>/": ONE_TIME,
    "accounts/password/reset/sent/": "shown after a reset request is posted",
    "accounts/password/reset/done/": "shown after a new password is posted from the e-mail",
    "accounts/password/change/done/": "shown after a password change is posted",
    "equipment/feeds/<str:key>.ics": "a private feed address, shown as text to copy",
    "proposals/<int:pk>/attachments/<int:attachment_id>/": "the demo has no attachments",
    "equipment/<int:pk>/photos/<int:photo_pk>/": "the demo has no equipment photos",
    "proposals/<int:pk>/checklist/": "a fragment for scripts; the editor shows the same checklist",
    "logout/": POST_ONLY,
    "proposals/<int:pk>/sign/": POST_ONLY,
    "accounts/invitations/<int:pk>/<slug:action>/": POST_ONLY,
    "notices/<int:pk>/read/": POST_ONLY,
    "notices/read-all/": POST_ONLY,
    "calls/<int:pk>/status/": POST_ONLY,
    "proposals/new/<int:call_id>/": POST_ONLY,
    "proposals/<int:pk>/save/<slug:part>/": POST_ONLY,
    "proposals/<int:pk>/submit/": POST_ONLY,
    "proposals/<int:pk>/return/": POST_ONLY,
    "proposals/<int:pk>/acknowledge/": POST_ONLY,
    "proposals/<int:pk>/withdraw/": POST_ONLY,
    "proposals/<int:pk>/signatures/request/": POST_ONLY,
    "proposals/<int:pk>/attachments/": POST_ONLY,
    "review/proposals/<int:proposal_id>/discussion/": POST_ONLY,
    "review/calls/<int:call_id>/assign/": POST_ONLY,
    "review/calls/<int:call_id>/pairs/": POST_ONLY,
    "review/calls/<int:call_id>/detect/": POST_ONLY,
    "review/calls/<int:call_id>/conflicts/<int:conflict_id>/decide/": POST_ONLY,
    "allocation/calls/<int:call_id>/publish/": POST_ONLY,
    "allocation/runs/<int:pk>/adopt/": POST_ONLY,
    "hubs/from-decision/": POST_ONLY,
    "hubs/<int:pk>/committee/<int:member_id>/remove/": POST_ONLY,
    "hubs/<int:pk>/contacts/<int:contact_id>/remove/": POST_ONLY,
    "equipment/<int:pk>/waitlist/": POST_ONLY,
    "equipment/<int:pk>/photos/": POST_ONLY,
    "equipment/<int:pk>/photos/<int:photo_pk>/remove/": POST_ONLY,
    "equipment/bookings/<int:pk>/cancel/": POST_ONLY,
    "equipment/hub/<int:hub_id>/bookings/<int:pk>/<str:action>/": POST_ONLY,
    "equipment/hub/<int:hub_id>/invoices/": POST_ONLY,
    "equipment/<int:pk>/status/": POST_ONLY,
    "equipment/training/<int:pk>/register/": POST_ONLY,
    "equipment/training/<int:pk>/unregister/": POST_ONLY,
    "equipment/hub/<int:hub_id>/sessions/<int:pk>/attendance/": POST_ONLY,
    "network/entry/<slug:kind>/<int:pk>/approve/": POST_ONLY,
    "network/entry/<slug:kind>/<int:pk>/reject/": POST_ONLY,
    "network/entry/<slug:kind>/<int:pk>/withdraw/": POST_ONLY,
    "proposals/<int:pk>/category/": POST_ONLY,
    "proposals/<int:pk>/options/": POST_ONLY,
    "proposals/<int:pk>/partners-may-edit/": POST_ONLY,
    "proposals/partnerships/<int:pk>/": POST_ONLY,
    "review/committees/<int:committee_id>/deputy/": POST_ONLY,
    "accounts/tokens/<int:pk>/revoke/": POST_ONLY,
    "equipment/settlement/close/": POST_ONLY,
    "monitoring/hubs/<int:pk>/desk/coordinators/": POST_ONLY,
    # Pages the bounded walk does not reach in the demo; each is walked by its own journey.
    "equipment/hub/<int:hub_id>/courses/new/": POST_ONLY,
    "equipment/hub/<int:hub_id>/sessions/new/": POST_ONLY,
    "network/moderation/": "linked for operators when a company post waits; the demo has none "
    "(tests/browser/test_network_journey.py)",
    "opendata/datasets/<slug:key>": "past the anonymous walk's bound; the open-data tests fetch "
    "every dataset page",
    "proposals/partnerships/": "linked when a consortium invitation waits; the 2009 story has "
    "no consortium (proposals/tests/test_consortium.py)",
}


# --- reading pages ---------------------------------------------------------------------------


class _Page(HTMLParser):
    """Links (anchors, images, htmx loads), visible text nodes (with the nearest `lang`) and table cells
    with their column's header, of one HTML page's <main> (links from the whole page)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}
    HIDDEN = {"script", "style", "textarea", "pre", "title"}

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.texts: list[tuple[str, str]] = []  # (text, lang of the nearest marked element)
        self.cells: list[tuple[str, str]] = []  # (column header, cell text)
        self._stack: list[tuple[str, str | None]] = []
        self._in_main = False
        self._hidden = 0
        self._tables: list[dict] = []

    def _lang(self) -> str:
        for _, lang in reversed(self._stack):
            if lang:
                return lang
        return ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        # What a browser would fetch by GET: links, images, htmx loads.
        for href in (a.get("href") if tag == "a" else None, a.get("src"), a.get("hx-get")):
            if href and href.startswith("/") and not href.startswith("//"):
                self.links.append(href.split("#")[0])
        if tag == "main":
            self._in_main = True
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "table":
            self._tables.append({"headers": [], "col": 0, "cell": None, "head": False})
        elif self._tables:
            t = self._tables[-1]
            if tag == "tr":
                t["col"] = 0
            elif tag in ("th", "td"):
                head = tag == "th" and (a.get("scope") == "col" or t["head"])
                t["cell"] = {"head": head, "text": [], "col": t["col"]}
                t["col"] += int(a.get("colspan") or 1)
            elif tag == "thead":
                t["head"] = True
        if tag not in self.VOID:
            self._stack.append((tag, a.get("lang")))

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if self._tables:
            t = self._tables[-1]
            if tag in ("th", "td") and t["cell"] is not None:
                cell = t["cell"]
                text = " ".join("".join(cell["text"]).split())
                if cell["head"]:
                    headers = t["headers"]
                    headers.extend([""] * (cell["col"] + 1 - len(headers)))
                    headers[cell["col"]] = text
                elif cell["col"] < len(t["headers"]):
                    self.cells.append((t["headers"][cell["col"]], text))
                t["cell"] = None
            elif tag == "thead":
                t["head"] = False
            elif tag == "table":
                self._tables.pop()
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._in_main or self._hidden:
            return
        if self._tables and self._tables[-1]["cell"] is not None:
            self._tables[-1]["cell"]["text"].append(data)
        text = " ".join(data.split())
        if text:
            self.texts.append((text, self._lang()))


def _raw_keys() -> set[str]:
    """Keys a Japanese reader must never see, from the code's own data: blocks, KPIs, sections,
    forms, review criteria, finance lines of a funding plan, solver statuses, and the values of
    every choice field of every model."""
    from kyoten.proposals.forms import SOURCE_LABELS

    keys = set(BLOCKS) | set(DEFAULT_KPIS) | {s for s in SECTIONS if "_" in s}
    keys |= set(FORM_LABELS) | {c["key"] for c in DEFAULT_REVIEW_CRITERIA}
    keys |= set(SOURCE_LABELS) | {"revenue_yen", "cost_yen", "jst_operating_yen"}
    keys |= {"optimal", "infeasible"}
    for model in apps.get_models():
        if not model.__module__.startswith("kyoten."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]*[a-z]", value):
                    keys.add(value)
    from kyoten.core.models import User

    return keys - set(User.objects.values_list("username", flat=True))  # names, not keys


MONEY_HEADER = re.compile(r"円|¥|額|料金")
BARE_NUMBER = re.compile(r"(?<![\d,.])\d{4,}(?![\d,.])")


def _japanese_problems(page: _Page, keys: set[str]) -> list[str]:
    text = " ".join(t for t, lang in page.texts if not lang.startswith("en"))
    found = [m.group(0) for m in re.finditer(r"\bFY ?\d{4}\b", text)]
    found += [m.group(0) for m in re.finditer(r"¥\d{4,}", text)]
    found += [m.group(0) for m in re.finditer(r"(?<![\d,.])\d{4,}円", text)]
    found += [m.group(0) for m in re.finditer(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])", text)]
    found += [
        f"{header}: {cell}"
        for header, cell in page.cells
        if MONEY_HEADER.search(header) and BARE_NUMBER.search(cell)
    ]
    words = set(re.findall(r"(?<![A-Za-z0-9_/.-])[a-z][a-z_]*[a-z](?![A-Za-z0-9_/.-])", text))
    found += sorted(words & keys)
    return found


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _japanese_labels() -> set[str]:
    """Every Japanese translation in the catalogues whose English original is different: on an
    English page each of these, standing alone as a text, is a label left untranslated."""
    catalogue = translation.trans_real.translation("ja")._catalog
    labels = set()
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not isinstance(msgstr, str) or "%" in msgstr:
            continue
        if JAPANESE.search(msgstr) and not JAPANESE.search(msgid.split("\x04")[-1]):
            labels.add(" ".join(msgstr.split()))
    labels |= {names[0] for names in BLOCKS.values()} | {n[0] for n in DEFAULT_KPIS.values()}
    return labels


def _typed_by_people(texts: set[str]) -> set[str]:
    """Those of `texts` that are values of the models' free-text fields: data people typed (a
    committee named 産学官イノベーション創出拠点推進委員会, a member's position 知事), not labels."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("kyoten."):
            continue
        for field in model._meta.concrete_fields:
            if texts and field.get_internal_type() == "CharField" and not field.choices:
                rows = model._default_manager.filter(**{f"{field.name}__in": texts})
                found |= set(rows.values_list(field.name, flat=True))
    return found


def _english_problems(page: _Page, labels: set[str]) -> list[str]:
    return sorted(
        {text for text, lang in page.texts if not lang.startswith("ja") and text in labels}
    )


# --- walking ---------------------------------------------------------------------------------


def _routes() -> set[str]:
    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    return {r for r in walk(get_resolver()) if not r.startswith(OUT_OF_SCOPE)}


def _route(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


class Walk:
    def __init__(self):
        self.keys = _raw_keys()
        self.labels = _japanese_labels()
        self.errors: list[str] = []  # 5xx answers
        self.wording: list[str] = []  # Japanese pages
        self.english: list = []  # English pages
        self.reached: dict[str, str] = {}  # route → first (who, url) answering < 400
        self.pages: dict[str, int] = {}
        self.visited: dict[str, list[str]] = {}  # who → URLs in order
        self.html: dict[str, tuple[str, str]] = {}  # route → (who, url) of an HTML page
        self.post_only: dict[str, int] = {}  # route → status of a GET

    def get(self, client, who: str, url: str, *, language: str = "ja"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code >= 500:
            self.errors.append(f"{who} {url}: {response.status_code}")
            return response, None
        route = _route(url)
        if route is not None and response.status_code < 400:
            self.reached.setdefault(route, f"{who} {url}")
        if NOT_HTML.search(url) or "text/html" not in response.get("Content-Type", ""):
            return response, None
        page = _Page(url)
        page.feed(response.content.decode())
        if route is not None and response.status_code == 200:
            self.html.setdefault(route, (who, url))
        return response, page

    def crawl(self, client, who: str) -> None:
        seen: set[str] = set()
        per_route: dict[str | None, int] = defaultdict(int)
        fresh, rest = deque(["/", "/favicon.ico"]), deque()
        order = []
        limit = PAGE_LIMITS.get(who, PAGE_LIMIT)
        while (fresh or rest) and len(order) < limit:
            from_fresh = bool(fresh)
            url = (fresh or rest).popleft()
            if url in seen or url.startswith(SKIP):
                continue
            route = _route(url)
            if per_route[route] >= PER_PATTERN:
                continue
            if from_fresh and per_route[route]:
                rest.append(url)  # its pattern was reached meanwhile: after the new ones
                continue
            seen.add(url)
            per_route[route] += 1
            order.append(url)
            _, page = self.get(client, who, url)
            if page is None:
                continue
            self.wording += [f"{who} {url}: {p}" for p in _japanese_problems(page, self.keys)]
            for link in page.links:
                if link not in seen:
                    (rest if per_route[_route(link)] else fresh).append(link)
        self.visited[who] = order
        self.pages[who] = len(order)


def _one_booking_to_close() -> None:
    """The hub desk links "record usage" for a booking that has ended unrecorded. The demo's
    bookings lie around the moment it is loaded, so whether one has just ended depends on the
    clock: move one confirmed booking of the operator's hub a year back (at 03:00, when no
    other booking is), so that the link is always there."""
    import datetime as dt

    from django.utils import timezone

    from kyoten.equipment.models import Booking

    booking = Booking.objects.filter(
        equipment__hub__operators__username="operator", status="confirmed", usage__isnull=True
    ).first()
    start = (timezone.now() - dt.timedelta(days=400)).replace(
        hour=18, minute=0, second=0
    )  # 03:00 JST
    Booking.objects.filter(pk=booking.pk).update(start=start, end=start + dt.timedelta(hours=1))


@pytest.fixture
def walk(client, settings):
    from kyoten.core.management.commands.demo import load_demo
    from kyoten.core.models import User

    settings.DEBUG = False
    client.raise_request_exception = False
    assert load_demo() is True
    _one_booking_to_close()
    users = {u: User.objects.get(username=u) for u in LOGINS if u}
    result = Walk()

    def log_in(username):
        client.logout()
        if username:
            client.force_login(users[username])

    try:
        for username in LOGINS:
            log_in(username)
            result.crawl(client, username or "anonymous")
        # Everything the officer reached (one URL of each pattern), as every other role.
        officer_urls = {}
        for url in result.visited["officer"]:
            officer_urls.setdefault(_route(url), url)
        for username in LOGINS:
            if username == "officer":
                continue
            log_in(username)
            mine = {_route(url) for url in result.visited[username or "anonymous"]}
            for route, url in officer_urls.items():
                if route not in mine:
                    result.get(client, f"{username or 'anonymous'} (as officer)", url)
        # Each POST-only action, GET as the officer (placeholders for its arguments).
        log_in("officer")
        for route, why in UNREACHABLE.items():
            if why == POST_ONLY:
                url = "/" + re.sub(
                    r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "x", route
                )
                result.post_only[route] = result.get(client, "officer", url)[0].status_code
        # English: one page of every pattern, as the role that first reached it.
        current = ""
        for who, url in sorted(result.html.values()):
            if who.split()[0] != current:
                current = who.split()[0]
                log_in(None if current == "anonymous" else current)
            _, page = result.get(client, who, url, language="en")
            if page is not None:
                result.english += [(url, p) for p in _english_problems(page, result.labels)]
        data = _typed_by_people({p for _, p in result.english})
        result.english = [f"{url}: {p}" for url, p in result.english if p not in data]
    finally:
        translation.deactivate()
    return result


def test_every_role_walks_the_site(walk):
    # No server error anywhere, as any role.
    assert walk.errors == []
    assert {who: n >= 10 for who, n in walk.pages.items()} == {
        (u or "anonymous"): True for u in LOGINS
    }
    # Every pattern reached by some role, or listed with its reason; nothing listed that is
    # reached after all.
    unreached = _routes() - set(walk.reached)
    missing = sorted(unreached - set(UNREACHABLE))
    assert missing == [], "reach these, or list them with why:\n" + "\n".join(missing)
    found = sorted(set(UNREACHABLE) - unreached)
    assert found == [], "reached after all, take these out:\n" + "\n".join(found)
    # A POST-only action answers a GET with 405.
    assert {r: code for r, code in walk.post_only.items() if code != 405} == {}
    # Japanese pages speak Japanese; English pages English.
    assert sorted(set(walk.wording)) == [], "\n".join(sorted(set(walk.wording)))
    assert sorted(set(walk.english)) == [], "\n".join(sorted(set(walk.english)))
