"""Known recurring lessons as data (recommendations/lessons.json): the asks reviews keep making in
words too far apart for a sentence model ("routine enquiry", "ask a direct question about domestic abuse",
"implement IRIS" are one lesson; their vectors are no closer than two different police asks). A
recommendation asks for a known lesson when its wording says so; the grouper puts recommendations asking
for the same known lesson together, and the group is labelled with the lesson's sentence. The same file
names kinds of action (train, publicise, refer, ...): what a recommendation asks someone to do."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LESSONS = Path(__file__).resolve().parent / "lessons.json"


@dataclass(frozen=True)
class Lesson:
    key: str
    label: str
    all: tuple[re.Pattern, ...]  # one pattern per list: each must be found

    def asked_by(self, text: str) -> bool:
        return all(pattern.search(text) for pattern in self.all)


def _whole_words(choices: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(choices) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def known_lessons() -> tuple[Lesson, ...]:
    data = json.loads(LESSONS.read_text(encoding="utf-8"))
    return tuple(
        Lesson(
            key=lesson["key"],
            label=lesson["label"],
            all=tuple(_whole_words(choices) for choices in lesson["all"]),
        )
        for lesson in data["lessons"]
    )


def lessons_asked(text: str) -> frozenset[str]:
    """The keys of the known lessons a recommendation asks for."""
    return frozenset(lesson.key for lesson in known_lessons() if lesson.asked_by(text))


@lru_cache(maxsize=1)
def _action_kinds() -> re.Pattern:
    """One pattern for every kind of action, each kind a named group: a text is read once."""
    data = json.loads(LESSONS.read_text(encoding="utf-8"))
    return _whole_words([f"(?P<{kind}>{'|'.join(choices)})" for kind, choices in data["actions"].items()])


def actions_asked(text: str) -> frozenset[str]:
    """The kinds of action (ask, train, publicise, refer, record, ...) a recommendation names."""
    return frozenset(match.lastgroup for match in _action_kinds().finditer(text))


def lesson_sentence(key: str) -> str:
    return next(lesson.label for lesson in known_lessons() if lesson.key == key)
