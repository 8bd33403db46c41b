"""Equipment photos: which files are accepted, told by their first bytes (pure)."""

from __future__ import annotations

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 12
CAPTION_MAX = 200
HEAD_BYTES = 12

# Media type → the extension the file is stored under.
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Names the upload may carry (the content decides; a wrong name alone is refused).
ALLOWED_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
ACCEPT = ",".join(EXTENSIONS)  # for <input accept>


def sniff(head: bytes) -> str | None:
    """The media type of a JPEG, PNG or WebP file from its first 12 bytes, else None."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def read_head(fileobj) -> bytes:
    """The first bytes of an open file, leaving it at its start."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    return head
