"""The dashboard's timeline of open reviews draws only the layers it has something for: a workspace whose
reviews have no pause gave Altair an empty frame of pauses, and every run logged "I don't know how to infer
vegalite type from 'empty'" four times."""

from __future__ import annotations

import json
import warnings
from datetime import date, timedelta

import pyarrow as pa
import pytest

from core import accounts
from core.schema import open_store
from core.settings import database_path
from reviews import pauses, register
from reviews.rules import install_bundled_rule_sets
from tests.app.conftest import open_signed_in
from tests.conftest import COORD, PASSWORD


@pytest.fixture
def one_review(tmp_path):
    """A fresh workspace with one open review and no pause; returns (data dir, coordinator, store)."""
    store = open_store(database_path(tmp_path))
    install_bundled_rule_sets(store)
    coordinator = accounts.add_user(store, COORD, username="coord", password=PASSWORD, role="coordinator")
    register.create_review(
        store,
        coordinator,
        reference="DHR-2026-01",
        pseudonym="Ivy",
        csp="Northshire CSP",
        notification_date=date.today() - timedelta(60),
    )
    yield tmp_path, coordinator, store
    store.close()


def _timeline(data_dir, monkeypatch, coordinator) -> tuple[list[tuple[dict, int]], list[str]]:
    """The dashboard's timeline: each layer's mark with how many rows of data it draws; and the warnings
    drawing the page gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        at = open_signed_in(data_dir, monkeypatch, coordinator, "pages/dashboard.py")
    assert not at.exception
    chart = next(c.proto for c in at.get("vega_lite_chart") if "layer" in json.loads(c.proto.spec))
    rows = {d.name: pa.ipc.open_stream(d.data.data).read_all().num_rows for d in chart.datasets}
    layers = [(layer["mark"], rows[layer["data"]["name"]]) for layer in json.loads(chart.spec)["layer"]]
    return layers, [str(w.message) for w in caught if "infer vegalite type" in str(w.message)]


def test_a_review_without_a_pause_draws_no_empty_layer_and_warns_nothing(one_review, monkeypatch):
    data_dir, coordinator, _ = one_review
    layers, warned = _timeline(data_dir, monkeypatch, coordinator)
    assert not warned
    # the stages, the deadlines, today: no pause lines, and every layer has rows
    assert [mark["type"] for mark, _ in layers] == ["bar", "point", "rule"]
    assert all(rows for _, rows in layers), layers


def test_a_pause_is_drawn_across_its_review(one_review, monkeypatch):
    data_dir, coordinator, store = one_review
    pauses.add_pause(store, coordinator, "DHR-2026-01", reason="inquest", start=date.today() - timedelta(20))
    layers, warned = _timeline(data_dir, monkeypatch, coordinator)
    assert not warned
    assert [mark["type"] for mark, _ in layers] == ["bar", "bar", "point", "rule"]
    assert layers[1][0]["height"] == 6 and layers[1][1] == 1  # the pause's dark line, one row
