"""Files written whole or not at all (core.files): the library's originals and the question encoder's export."""

import os

import pytest

from core import files


def test_a_file_is_written_whole_and_nothing_partial_is_left(tmp_path):
    target = tmp_path / "ab" / "original"
    files.write_atomically(target, b"first")
    files.write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["original"]


def test_a_write_that_fails_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    target = tmp_path / "original"
    target.write_bytes(b"old")

    def full_disk(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        files.write_atomically(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["original"]


def test_a_link_is_the_same_file_and_a_disk_without_links_gets_a_copy(tmp_path, monkeypatch):
    source = tmp_path / "one" / "graph"
    files.write_atomically(source, b"graph")
    linked = tmp_path / "two" / "graph"
    files.link_atomically(source, linked)
    assert linked.read_bytes() == b"graph" and os.path.samefile(source, linked)

    def no_links(source, destination):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    copied = tmp_path / "three" / "graph"
    files.link_atomically(source, copied)
    assert copied.read_bytes() == b"graph" and not os.path.samefile(source, copied)
    assert [p.name for p in copied.parent.iterdir()] == ["graph"]
