"""The partnership's own settings: its name on every Word document and the board report, the default
CSP and rule set of new reviews, the due-soon window, and a logo."""

import io
import json
import struct
import zlib

import docx
import pytest

from core import workspace
from core.errors import ValidationError
from exports import builders
from reviews import register, rules
from tests.conftest import COORD, TODAY, run


def png(width: int = 40, height: int = 20) -> bytes:
    """A small, real PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x3a\x5f" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_fresh_workspace_uses_the_generic_words(store):
    settings = workspace.load(store.read())
    assert settings.partnership_name == "Community Safety Partnership"
    assert settings.due_soon_days is None and settings.logo is None
    assert register.default_rule_set(store.read()) == "HO-2016"


def test_settings_are_saved_audited_and_cleared(store):
    workspace.save(
        store, COORD, partnership="  Northvale   Community Safety Partnership ", area="Northvale", due_soon_days="21"
    )
    settings = workspace.load(store.read())
    assert settings.partnership == "Northvale Community Safety Partnership" and settings.due_soon_days == 21
    audited = {r["entity_id"] for r in store.read()["audit_log"].rows_where("entity = 'settings'")}
    assert {'"partnership_name"', '"due_soon_days"'} <= audited
    workspace.save(store, COORD, partnership="Northvale CSP", due_soon_days="")
    assert workspace.load(store.read()).due_soon_days is None and workspace.load(store.read()).area == ""


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"due_soon_days": "two weeks"}, "due-soon window: 'two weeks' is not a whole number"),
        ({"due_soon_days": "400"}, "from 0 to 365"),
        ({"rule_set": "LOCAL-1"}, "rule set: 'LOCAL-1' is not installed"),
        ({"area": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(store, fields, message):
    workspace.save(store, COORD, partnership="Northvale CSP", due_soon_days="10")
    with pytest.raises(ValidationError) as error:
        workspace.save(store, COORD, **({"partnership": "Other"} | fields))
    assert message in str(error.value)
    assert workspace.load(store.read()).partnership == "Northvale CSP"
    assert workspace.load(store.read()).due_soon_days == 10


def test_new_reviews_take_the_partnership_and_the_default_rule_set(store, coordinator, new_review):
    local = json.loads((rules.BUNDLED_DIR / "HO-2016.json").read_text()) | {"name": "NORTHVALE", "version": "2026-11"}
    rules.install_rule_set(store, COORD, document=local)
    workspace.save(store, COORD, partnership="Northvale CSP", rule_set="NORTHVALE")
    register.create_review(
        store, coordinator, reference="DHR-2026-10", pseudonym="Ann", notification_date="2026-10-01", today=TODAY
    )
    review = register.get_review(store, coordinator, "DHR-2026-10")
    assert review.csp == "Northvale CSP" and review.rule_set == "NORTHVALE"
    new_review("DHR-2026-11", pseudonym="Bea", csp="Westvale CSP", rule_set="HO-2016", notification_date="2026-10-01")
    other = register.get_review(store, coordinator, "DHR-2026-11")
    assert other.csp == "Westvale CSP" and other.rule_set == "HO-2016"


def test_without_a_partnership_a_review_still_needs_its_csp(store, coordinator):
    with pytest.raises(ValidationError, match="csp: name the Community Safety Partnership"):
        register.create_review(
            store, coordinator, reference="DHR-2026-10", pseudonym="Ann", notification_date="2026-10-01", today=TODAY
        )


def test_the_due_soon_window_changes_what_is_due_soon(store, coordinator, new_review):
    reference = new_review("DHR-2026-10", notification_date="2026-11-01")
    decision = next(
        d
        for d in register.review_deadlines(register.get_review(store, coordinator, reference), store, TODAY)
        if d.deadline == "decision"
    )
    days_left = (decision.due - TODAY).days
    assert decision.status == ("due_soon" if days_left <= 14 else "open")
    workspace.save(store, COORD, partnership="", due_soon_days=str(days_left - 1))
    later = register.review_deadlines(register.get_review(store, coordinator, reference), store, TODAY)
    assert next(d for d in later if d.deadline == "decision").status == "open"
    workspace.save(store, COORD, partnership="", due_soon_days=str(days_left))
    later = register.review_deadlines(register.get_review(store, coordinator, reference), store, TODAY)
    assert next(d for d in later if d.deadline == "decision").status == "due_soon"


def test_word_documents_carry_the_partnership_and_its_logo(store, coordinator, new_review):
    reference = new_review("DHR-2026-10")
    workspace.save(store, COORD, partnership="Northvale Community Safety Partnership")
    workspace.set_logo(store, COORD, png())
    board = docx.Document(io.BytesIO(builders.board_report(store, "2026Q4", TODAY)))
    text = "\n".join(p.text for p in board.paragraphs)
    assert "Northvale Community Safety Partnership · figures for" in text
    assert board.core_properties.author == "Northvale Community Safety Partnership"
    assert len(board.inline_shapes) == 1
    for name in builders.REVIEW_DOCUMENTS:
        document = docx.Document(io.BytesIO(builders.review_document(store, coordinator, reference, name, TODAY)))
        assert len(document.inline_shapes) == 1, name
    workspace.set_logo(store, COORD, None)
    board = docx.Document(io.BytesIO(builders.board_report(store, "2026Q4", TODAY)))
    assert len(board.inline_shapes) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7 not an image", "not a readable PNG, JPEG or GIF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 10, "not a readable PNG, JPEG or GIF"),
        (png()[:-30], "not a readable PNG, JPEG or GIF"),
        (png()[:-12] + b"\x00" * (600 * 1024), "too large"),
        (png(5000, 1), "5000×1 pixels is too large"),
    ],
)
def test_a_bad_logo_is_refused_and_the_old_one_kept(store, data, message):
    workspace.set_logo(store, COORD, png())
    kept = workspace.load(store.read()).logo
    with pytest.raises(ValidationError, match=message):
        workspace.set_logo(store, COORD, data)
    assert workspace.load(store.read()).logo == kept


def test_cli_shows_and_changes_only_the_settings_given(tmp_path):
    data = tmp_path / "data"
    shown = run(data, "core", "settings")
    assert shown.returncode == 0 and "documents say Community Safety Partnership" in shown.stdout
    run(data, "core", "settings", "--partnership", "Northvale CSP", "--due-soon-days", "21")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    changed = run(data, "core", "settings", "--area", "Northvale", "--logo", str(logo))
    assert changed.returncode == 0, changed.stderr
    assert "Partnership:      Northvale CSP" in changed.stdout and "Due-soon window:  21 days" in changed.stdout
    assert "Area:             Northvale" in changed.stdout and "Logo:             set" in changed.stdout
    refused = run(data, "core", "settings", "--due-soon-days", "soon")
    assert refused.returncode != 0 and "not a whole number of days" in refused.stderr
