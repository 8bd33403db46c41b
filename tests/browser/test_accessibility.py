"""Accessibility and phone width (issue 16 part 5), over the demo data as every role.

For one demo login of each role (and anonymous): the home page and every page of the role's menu
are checked with axe-core (no serious or critical violation), at 390 px wide (the page never
scrolls sideways: `scrollWidth <= 390`) and without a console error. Every form field on those
pages has a label (axe's `label` rule, and the annual report's finance inputs by name). The menu
and the equipment calendar are reached and used with the keyboard alone. One screenshot of each
role's main page, in Japanese, goes to docs/screenshots/ (the README shows them).

axe-core comes from the npm registry (`tests/browser/package.json`; scripts/test.sh runs `npm ci`
there); without it these tests are skipped with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# role login → its main page (the one in the README's screenshots); {hub}, {report}, {call},
# {sign} (the proposal waiting for the governor of Saitama's signature) come from the demo data.
MAIN = {
    None: "/network/",
    "officer": "/calls/",
    "pref-13": "/proposals/",
    "gov-11": "/proposals/{sign}/",
    "reviewer1": "/review/",
    "chair": "/review/calls/{call}/",
    "committee": "/monitoring/",
    "operator": "/monitoring/reports/{report}/",
    "sme": "/equipment/?q=X線",
    "observer": "/network/dashboard/",
}
# Pages every check visits besides the home page and the menu.
EXTRA = {None: ["/equipment/?q=X線"], "operator": ["/equipment/hub/{hub}/"]}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core not installed at {AXE} (run `npm ci` in tests/browser/)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def demo(transactional_db):
    from kyoten.calls.models import Call
    from kyoten.core.management.commands.demo import load_demo
    from kyoten.core.models import User
    from kyoten.hubs.models import Hub
    from kyoten.monitoring.models import AnnualReport
    from kyoten.proposals.models import Signature

    assert load_demo() is True
    hub = Hub.objects.filter(operators__username="operator").order_by("pk").first()
    # The demo's report sent back for correction, editable by an operator of its hub: the
    # operator login runs that hub too here, so that the report's form is on its pages.
    report = AnnualReport.objects.filter(status="returned").order_by("pk").first()
    report.hub.operators.add(User.objects.get(username="operator"))
    waiting = Signature.objects.get(user__username="gov-11", signed_at__isnull=True)
    return {
        "hub": hub.pk,
        "report": report.pk,
        "call": Call.objects.get(code="fy2009").pk,
        "sign": waiting.proposal_id,
    }


def _log_in(page, base_url: str, username: str | None) -> None:
    if username is None:
        return
    page.goto(base_url + "/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill("demo")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(base_url + "/")


def _serious(page, axe_source: str) -> list[tuple[str, str, list[str]]]:
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' '))])"
    )
    return [tuple(v) for v in violations if v[1] in ("serious", "critical")]


def test_every_main_page_is_accessible_at_phone_width(browser, live_server, demo, axe_source):
    findings: dict[str, object] = {}
    checked = 0
    for username, main in MAIN.items():
        who = username or "anonymous"
        context = browser.new_context(locale="ja-JP", bypass_csp=True, viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(30_000)
        console: list[str] = []
        page.on("console", lambda m, c=console: c.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, c=console: c.append(str(e)))
        _log_in(page, live_server.url, username)
        page.goto(live_server.url + "/")
        menu = page.eval_on_selector_all("header nav a", "links => links.map(a => a.pathname)")
        urls = dict.fromkeys(
            ["/", *menu, main.format(**demo), *(u.format(**demo) for u in EXTRA.get(username, []))]
        )
        for url in urls:
            page.goto(live_server.url + url)
            checked += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                findings[f"{who} {url} scrollWidth"] = width
            if serious := _serious(page, axe_source):
                findings[f"{who} {url} axe"] = serious
            if console:
                findings[f"{who} {url} console"] = list(console)
                console.clear()
        # The role's main page on a desktop screen, in Japanese, for the README.
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + main.format(**demo))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{who}.png"))
        context.close()
    assert findings == {}
    assert checked >= 30


def test_the_annual_reports_finance_inputs_are_labelled(page, live_server, demo):
    _log_in(page, live_server.url, "operator")
    page.goto(live_server.url + f"/monitoring/reports/{demo['report']}/")
    names = ("revenue_amount", "cost_amount", "revenue_line", "cost_line", "jst_operating_yen")
    inputs = page.locator(",".join(f'input[name="{n}"]:not([type="hidden"])' for n in names))
    assert inputs.count() >= 5
    labels = [
        inputs.nth(i).evaluate("e => [...e.labels].map(l => l.textContent.trim()).join(' ')")
        for i in range(inputs.count())
    ]
    assert [bool(label) for label in labels] == [True] * len(labels), labels
    # A known line reads as its label (保守・維持費), not as its key.
    assert "保守・維持費（円）" in labels


def test_menu_and_calendar_work_with_the_keyboard(page, live_server, demo):
    from kyoten.equipment.models import Equipment

    machine = Equipment.objects.filter(hub_id=demo["hub"]).order_by("pk").first()
    _log_in(page, live_server.url, "sme")

    def tab_to(selector: str, limit: int = 80) -> bool:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"!!document.activeElement.closest({selector!r})"):
                return True
        return False

    # The menu: from the top of the page, Tab reaches the equipment entry; Enter opens it.
    page.goto(live_server.url + "/")
    assert tab_to('header nav a[href="/equipment/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/equipment/")
    # The calendar: Tab reaches its "earlier" button; Enter moves it (htmx, no reload).
    page.goto(live_server.url + f"/equipment/{machine.pk}/")
    heading = page.locator("#calendar .calendar-nav strong").inner_text()
    assert tab_to("#calendar .calendar-nav a.button")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "h => document.querySelector('#calendar .calendar-nav strong').innerText !== h", arg=heading
    )
    # ...and the keyboard stays on the same button of the new calendar (its id is kept).
    assert page.evaluate("document.activeElement.id") == "cal-earlier"
