"""An SVG map of Japan drawn from shipped data (a tile grid of the 47 prefectures): no internet,
no map library. Each prefecture is a square, coloured by regional block, linked to its region's
network page, with the number of hubs marked."""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path

from kyoten.core.reference import BLOCKS, prefectures

DATA_FILE = Path(__file__).with_name("data") / "japan_tiles.json"
CELL = 44
GAP = 3


@cache
def tiles() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def japan_svg(
    *, hubs_per_prefecture: dict[str, int], highlight_block: str | None = None, link=None
) -> str:
    """The SVG markup. `link(block) -> url` makes each tile a link to its region's page."""
    data = tiles()
    width = data["columns"] * CELL
    height = data["rows"] * CELL
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        # With links inside, the map is a group of links (an `img` may not hold anything
        # focusable: axe's nested-interactive).
        f'class="japan-map" role="{"img" if link is None else "group"}" '
        'aria-labelledby="japan-map-title">',
        '<title id="japan-map-title">日本地図（都道府県タイル）: 拠点のある都道府県に印</title>',
    ]
    for code, pos in data["tiles"].items():
        pref = prefectures()[code]
        x, y = pos["col"] * CELL, pos["row"] * CELL
        hubs = hubs_per_prefecture.get(code, 0)
        classes = f"tile block-{pref.block}"
        if highlight_block and pref.block != highlight_block:
            classes += " dim"
        if hubs:
            classes += " has-hub"
        label = f"{pref.name_ja}（{BLOCKS[pref.block][0]}）: 拠点 {hubs}"
        tile = [
            f'<g class="{classes}" data-prefecture="{code}">',
            f"<title>{escape(label)}</title>",
            f'<rect x="{x + GAP}" y="{y + GAP}" width="{CELL - 2 * GAP}" height="{CELL - 2 * GAP}" rx="4"/>',
            f'<text x="{x + CELL / 2}" y="{y + 19}" text-anchor="middle">'
            f"{escape(pref.name_ja[:2] if code != '01' else '北海道')}</text>",
        ]
        if hubs:
            tile.append(
                f'<circle cx="{x + CELL / 2}" cy="{y + CELL - 13}" r="9" class="hub-dot"/>'
                f'<text x="{x + CELL / 2}" y="{y + CELL - 9}" text-anchor="middle" '
                f'class="hub-count">{hubs}</text>'
            )
        tile.append("</g>")
        body = "".join(tile)
        if link is not None:
            body = f'<a href="{escape(link(pref.block))}">{body}</a>'
        parts.append(body)
    parts.append("</svg>")
    return "".join(parts)
