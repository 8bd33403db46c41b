"""The Japanese TrueType font (IPAexGothic) for charts and PDFs, embedded so every reader sees it.

The file ships inside the japanize-matplotlib package; reportlab's CID fonts are not embedded.
Every PDF and chart of every app registers the font through here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONT_NAME = "IPAexGothic"


@cache
def font_path() -> Path:
    import importlib.util

    # Found without importing the package (its import patches matplotlib and warns).
    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("japanize-matplotlib is not installed: no Japanese font for charts/PDF")
    path = Path(spec.origin).parent / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise RuntimeError(f"the IPAexGothic font is missing: {path}")
    return path


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
