"""The partnership's own settings: its name and area, the due-soon window, the rule set new reviews
use, and a logo for the Word documents. The coordinator sets them; every change is audited."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass

import sqlite_utils
from PIL import Image, UnidentifiedImageError

from core.accounts import Viewer, require_coordinator
from core.db import Store
from core.errors import ValidationError

GENERIC_PARTNERSHIP = "Community Safety Partnership"
MAX_LOGO_BYTES = 512 * 1024
LOGO_FORMATS = ("PNG", "JPEG", "GIF")
MAX_LOGO_SIDE = 4000  # pixels
LOGO_HEIGHT_CM = 1.8  # the logo's height at the top of every Word document
KEYS = {
    "partnership": "partnership_name",
    "area": "partnership_area",
    "due_soon_days": "due_soon_days",
    "rule_set": "default_rule_set",
    "logo": "logo",
}


@dataclass(frozen=True)
class WorkspaceSettings:
    partnership: str = ""  # "Northvale Community Safety Partnership"
    area: str = ""  # "Northvale Borough"
    due_soon_days: int | None = None  # None: each rule set's own window
    rule_set: str | None = None  # None: the bundled Home Office rule set
    logo: bytes | None = None

    @property
    def partnership_name(self) -> str:
        """The partnership's name, or the generic words until the coordinator gives it."""
        return self.partnership or GENERIC_PARTNERSHIP


def load(db: sqlite_utils.Database) -> WorkspaceSettings:
    values = {
        row["key"]: row["value"]
        for row in db["settings"].rows_where(
            "key IN (SELECT value FROM json_each(?))", [json.dumps(list(KEYS.values()))]
        )
    }
    days = values.get(KEYS["due_soon_days"])
    logo = values.get(KEYS["logo"])
    return WorkspaceSettings(
        partnership=values.get(KEYS["partnership"]) or "",
        area=values.get(KEYS["area"]) or "",
        due_soon_days=int(days) if days else None,
        rule_set=values.get(KEYS["rule_set"]) or None,
        logo=base64.b64decode(logo) if logo else None,
    )


def setting(db: sqlite_utils.Database, key: str) -> str | None:
    """The workspace's setting ``key``, or None when it was never set."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put_setting(tx, key: str, value: str | None) -> None:
    """Set the workspace's setting ``key`` inside the write ``tx`` (None or "" removes it)."""
    existing = tx.db["settings"].count_where("key = ?", [key])
    if value in (None, ""):
        if existing:
            tx.delete("settings", key)
    elif existing:
        tx.update("settings", key, {"value": value})
    else:
        tx.insert("settings", {"key": key, "value": value})


def save(
    store: Store,
    viewer: Viewer,
    *,
    partnership: str,
    area: str = "",
    due_soon_days: int | str | None = None,
    rule_set: str | None = None,
) -> WorkspaceSettings:
    """The coordinator sets the partnership's name and area, the due-soon window (blank: each rule
    set's own) and the rule set new reviews use."""
    require_coordinator(viewer, "Only the coordinator can change the workspace settings")
    partnership, area = " ".join(partnership.split()), " ".join(area.split())
    problems = []
    if len(partnership) > 200 or len(area) > 200:
        problems.append("partnership name and area: at most 200 characters each")
    days = None
    if due_soon_days not in (None, ""):
        try:
            days = int(str(due_soon_days).strip())
        except ValueError:
            days = -1
        if not 0 <= days <= 365:
            problems.append(f"due-soon window: {due_soon_days!r} is not a whole number of days from 0 to 365")
    with store.write(viewer.username) as tx:
        if rule_set and not tx.db["rule_sets"].count_where("name = ?", [rule_set]):
            problems.append(f"rule set: {rule_set!r} is not installed")
        if problems:
            raise ValidationError(problems)
        put_setting(tx, KEYS["partnership"], partnership)
        put_setting(tx, KEYS["area"], area)
        put_setting(tx, KEYS["due_soon_days"], None if days is None else str(days))
        put_setting(tx, KEYS["rule_set"], rule_set)
    return load(store.read())


def set_logo(store: Store, viewer: Viewer, data: bytes | None) -> None:
    """The coordinator sets (or with ``None`` removes) the logo printed at the top of every Word
    document: a PNG, JPEG or GIF of at most 512 KB, stored as the PNG ``logo_png`` makes of it."""
    require_coordinator(viewer, "Only the coordinator can change the logo")
    if data is not None:
        if len(data) > MAX_LOGO_BYTES:
            raise ValidationError(f"logo: {len(data) // 1024} KB is too large; use an image of at most 512 KB")
        data = logo_png(data)
    with store.write(viewer.username) as tx:
        put_setting(tx, KEYS["logo"], base64.b64encode(data).decode("ascii") if data else None)


def logo_png(data: bytes) -> bytes:
    """The image as a plain RGB (or, if it has transparency, RGBA) PNG at 96 dpi, checked by placing it
    in a Word document the way every export does. Pillow reads images Word refuses (a CMYK JPEG, a
    PNG claiming one pixel per metre or with a bad checksum), and one stored logo Word refuses broke
    every export, so what is stored is always Pillow's own re-encoding, never the upload."""
    with _readable(data) as image:
        kind, (width, height) = image.format, image.size
        if kind not in LOGO_FORMATS:
            raise ValidationError(f"logo: {kind} images are not used; save it as PNG and try again")
        if max(width, height) > MAX_LOGO_SIDE:
            raise ValidationError(
                f"logo: {width}×{height} pixels is too large; use at most {MAX_LOGO_SIDE} on each side"
            )
        try:
            image.load()  # every pixel decoded, so a cut-off file is caught
            alpha = "A" in image.getbands() or "transparency" in image.info
            converted = image.convert("RGBA" if alpha else "RGB")
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(NOT_AN_IMAGE) from None
    buffer = io.BytesIO()
    converted.save(buffer, format="PNG", dpi=(96, 96), optimize=True)
    png = buffer.getvalue()
    _check_in_word(png)
    return png


NOT_AN_IMAGE = "logo: not a readable PNG, JPEG or GIF image; save it as PNG and try again"


def _readable(data: bytes) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(NOT_AN_IMAGE) from None


def _check_in_word(png: bytes) -> None:
    """Place the logo in a python-docx document at the height the exports use, and save it."""
    import docx
    from docx.shared import Cm

    try:
        document = docx.Document()
        document.add_paragraph().add_run().add_picture(io.BytesIO(png), height=Cm(LOGO_HEIGHT_CM))
        document.save(io.BytesIO())
    except Exception:  # python-docx raises many kinds for an image it cannot place
        raise ValidationError("logo: a Word document cannot hold this image; save it as PNG and try again") from None
