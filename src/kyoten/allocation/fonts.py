"""The Japanese TrueType font (IPAexGothic) for charts and PDFs, embedded so every reader sees it.

The file ships inside the japanize-matplotlib package; reportlab's CID fonts are not embedded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_NAME = "IPAexGothic"


@cache
def font_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("japanize-matplotlib is not installed: no Japanese font for charts/PDF")
    base = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(base.rglob("ipaexg.ttf"))
    if not found:
        raise RuntimeError(f"ipaexg.ttf not found under {base}")
    return found[0]


@cache
def matplotlib_font() -> str:
    """Register the font with matplotlib (Agg backend); return its family name."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return font_manager.FontProperties(fname=str(font_path())).get_name()


@cache
def reportlab_font() -> str:
    """Register the font with reportlab (embedded TrueType); return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
    return FONT_NAME
