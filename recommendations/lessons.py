"""Known recurring lessons as data (recommendations/lessons.json): the asks reviews keep making in
words too far apart for a sentence model ("routine enquiry", "ask a direct question about domestic abuse",
"implement IRIS" are one lesson; their vectors are no closer than two different police asks). A
recommendation asks for a known lesson when its wording says so; the grouper puts recommendations asking
for the same known lesson together (by its main lesson, the one it names first, where it asks for two) and keeps
two asking for different known lessons apart; the group is labelled with the lesson's sentence. A recommendation is
read with its addressee, which can be all that names whose lesson it is. The same file names kinds of action (train,
publicise, refer, ...): what a recommendation asks someone to do, and which of them is its main ask (the first, read
in order: training on a tool and using it are different asks), and the things it can ask a body to produce (guidance,
training, a review), each about a topic. A lesson may narrow a broader one (the risk to the family at discharge narrows
discharge planning): a text asking for both asks for the narrower alone. An abbreviation a text defines is read as its
name ("Senior Probation Officers (SPOs)" name no stalking protection orders). The ways chairs name one thing (a GP, the
MARAC, abuse) are the file's concepts, listed once and read by every lesson that names them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexing.literals import Caseless
from indexing.reading.addressees import addressee_in, is_national
from recommendations.ask_span import asked_for

LESSONS = Path(__file__).resolve().parent / "lessons.json"


@dataclass(frozen=True)
class Lesson:
    key: str
    label: str
    all: tuple[Caseless, ...]  # one pattern per list: each must be found
    in_ask: bool = False  # a topic: found only in what is asked be done, not in the purpose given for it
    narrows: frozenset[str] = frozenset()  # broader lessons a text asking for this one does not ask for as well
    unless: Caseless | None = None  # words that say the text asks for another lesson, though it names every part
    local: bool = False  # asked of a partnership's agencies: asked of a national body, another lesson (main_lesson)

    def asked_at(self, text: str, lowered: str) -> int | None:
        """Where the text (``lowered``: its lower-cased copy) has named every part of the lesson (the offset of the
        last part's first mention), or None where it does not ask for it. Each part is looked for only in a text that
        holds a string every match of it holds (``Caseless``): most recommendations name no part of most lessons. A text
        saying ``unless`` does not ask for it ("refer to MARAC even where the checklist score is below 14" names the
        checklist, the MARAC and a referral, and asks for a referral on judgement, not for the score's)."""
        if self.unless is not None and self.unless.search(text, lowered) is not None:
            return None
        offset = 0
        for pattern in self.all:
            match = pattern.search(text, lowered)
            if match is None:
                return None
            offset = max(offset, match.start())
        return offset


def _whole_words(choices: list[str]) -> re.Pattern:
    """Any of ``choices`` as whole words, any case; a practice named in quotes ('Being Open', ‘Think Family’) is
    found, a word's tail after an apostrophe ("patient's") is not."""
    return re.compile(r"(?<![\w-])(?<!\w['’])(?:" + "|".join(choices) + r")(?![\w-])", re.IGNORECASE)


def _with_concepts(choices: list[str], concepts: dict[str, list[str]]) -> list[str]:
    """A lesson's list with each concept it names ("@gp") written as the concept's wordings: the ways chairs name one
    thing (a GP, the MARAC, abuse) are listed once, and every lesson that needs the thing reads all of them."""
    return [wording for choice in choices for wording in (concepts[choice[1:]] if choice[0] == "@" else [choice])]


@lru_cache(maxsize=1)
def known_lessons() -> tuple[Lesson, ...]:
    data = json.loads(LESSONS.read_text(encoding="utf-8"))
    concepts = data["concepts"]
    return tuple(
        Lesson(
            key=lesson["key"],
            label=lesson["label"],
            all=tuple(Caseless.of(_whole_words(_with_concepts(choices, concepts))) for choices in lesson["all"]),
            in_ask=lesson.get("in_ask", False),
            narrows=frozenset(lesson.get("narrows", ())),
            unless=Caseless.of(_whole_words(lesson["unless"])) if "unless" in lesson else None,
            local=lesson.get("local", False),
        )
        for lesson in data["lessons"]
    )


def lessons_asked(text: str, addressee: str | None = None) -> frozenset[str]:
    """The keys of the known lessons a recommendation asks for. Who it is addressed to is part of the ask: "Highlight
    the domestic abuse policy in briefings and training", addressed to a housing association, asks a housing
    provider for its policy and training."""
    return frozenset(key for _, key in _asked(text, addressee) if not key.endswith(NATIONALLY))


def main_lesson(text: str, addressee: str | None = None) -> str | None:
    """The known lesson a recommendation asks for first, its main ask ("GP practices should adopt a domestic abuse
    policy, including a question about abuse on the registration form" asks for a policy), or None. A local lesson
    (``local`` in lessons.json: no recourse to public funds) asked of a national body is a lesson of its own, its key
    ending in ``NATIONALLY``: "the Home Office should extend the concession to every victim with no recourse to public
    funds" asks a department to change national rules, "the council should agree a route to fund them" asks the
    partnership for a route. A lesson not marked local is one lesson whoever is asked: NHS England asked to require
    IRIS in GP practices asks for the lesson itself."""
    return min(_asked(text, addressee), default=(None, None))[1]


def _asked(text: str, addressee: str | None) -> list[tuple[int, str]]:
    """(where it is asked, key) of each known lesson the recommendation, read with its addressee, asks for. A topic
    lesson (``in_ask``) is asked for only where what the recommendation asks be done names it (``asked_for``), not
    the purpose it gives, a "which" clause or an "including" list: "update the statutory guidance so that reviews of
    deaths of older victims consider economic abuse" asks for guidance, neither for a response to economic abuse nor
    for adult safeguarding of older people."""

    def read(words: str) -> str:
        return f"{addressee}: {words}" if addressee else words

    text = spelt_out(text)
    whole, ask = read(text), None
    lowered = whole.lower()
    found = []
    for lesson in known_lessons():
        offset = lesson.asked_at(whole, lowered)
        if offset is not None and lesson.in_ask:
            ask = read(asked_for(text)) if ask is None else ask
            offset = offset if lesson.asked_at(ask, ask.lower()) is not None else None
        if offset is not None:
            found.append((offset, lesson))
    narrowed = {key for _, lesson in found for key in lesson.narrows}
    found = [(offset, lesson) for offset, lesson in found if lesson.key not in narrowed]
    national = any(lesson.local for _, lesson in found) and asks_national(text, addressee)
    return [(offset, lesson.key + (NATIONALLY if national and lesson.local else "")) for offset, lesson in found]


NATIONALLY = " (national)"  # a local lesson's key asked of a national body (``main_lesson``)


def asks_national(text: str, addressee: str | None = None) -> bool:
    """Whether a recommendation asks a national body (a government department or national body: ``is_national``):
    its addressee where known, else the body its own words ask ("The Home Office should ...")."""
    return is_national(addressee or addressee_in(text))


_DEFINED = re.compile(r"\s\((?P<short>[A-Z]{2,8})s?\)")
_NAME_SMALL_WORDS = frozenset("of for and to on in the".split())  # inside a name: "Identification and Referral to"


def spelt_out(text: str) -> str:
    """The text with each abbreviation it defines ("Senior Probation Officers (SPOs)": the capitals of the words
    before the brackets spell it) written as its name, the bracket left out: an abbreviation means what the text says
    it stands for, not what it stands for elsewhere ("SPO" is a stalking protection order only where no name is
    given)."""
    for found in reversed(list(_DEFINED.finditer(text))):
        short, words = found["short"], text[: found.start()].split()
        name: list[str] = []
        while words and len([w for w in name if w[:1].isupper()]) < len(short):
            word = words.pop()
            if not (word[:1].isupper() or (name and word in _NAME_SMALL_WORDS)):
                break
            name.insert(0, word)
        while name and name[0] in _NAME_SMALL_WORDS:
            name.pop(0)
        if "".join(w[0] for w in name if w[:1].isupper()) != short:
            continue
        text = text[: found.start()] + text[found.end() :]
        text = re.sub(rf"\b{short}s?\b", " ".join(name), text)
    return text


@lru_cache(maxsize=1)
def _action_kinds() -> re.Pattern:
    """One pattern for every kind of action, each kind a named group: a text is read once."""
    data = json.loads(LESSONS.read_text(encoding="utf-8"))
    return _whole_words([f"(?P<{kind}>{'|'.join(choices)})" for kind, choices in data["actions"].items()])


def actions_asked(text: str) -> frozenset[str]:
    """The kinds of action (ask, train, publicise, refer, record, ...) a recommendation names."""
    return frozenset(match.lastgroup for match in _action_kinds().finditer(text))


@lru_cache(maxsize=1)
def things() -> str:
    """The things a recommendation can ask a body to produce (guidance, training, a review, ...), as one regular
    expression's alternatives."""
    return "|".join(json.loads(LESSONS.read_text(encoding="utf-8"))["things"])


LEARNING = "learning"
DOING = "doing"


@lru_cache(maxsize=1)
def _main_ask_words() -> tuple[re.Pattern, re.Pattern, re.Pattern, frozenset[str]]:
    """The wrappers read through ("reminded of the importance of"), the verbs of knowing that something is so, one
    pattern for everything a main ask can be (each kind of action a named group, learning and doing words groups of
    their own), and the kinds that are learning."""
    data = json.loads(LESSONS.read_text(encoding="utf-8"))
    choices = [f"(?P<_{LEARNING}>{'|'.join(data[LEARNING])})", f"(?P<_{DOING}>{'|'.join(data[DOING])})"]
    choices += [f"(?P<{kind}>{'|'.join(words)})" for kind, words in data["actions"].items()]
    see_through, knowing = _whole_words(data["see_through"]), _whole_words(data["knowing"])
    return see_through, knowing, _whole_words(choices), frozenset(data["learning_actions"])


def main_ask(text: str) -> tuple[str | None, str | None]:
    """(learning or doing, kind of action or None) of the first thing a recommendation's ask asks for, read through a
    reminder of the importance of something ("officers should be reminded of the importance of completing a DASH risk
    assessment" asks them to complete it: doing), or (None, None) where it names nothing it asks someone to do. Asking
    someone to "recognise that" or "understand that" something is so asks them to know it (learning), whatever comes
    before: that is who is asked ("officers carrying out DASH risk assessments recognise that ...")."""
    see_through, knowing, asks, learning_kinds = _main_ask_words()
    text = see_through.sub(" ", text)
    if knowing.search(text):
        return LEARNING, None
    first = asks.search(text)
    if first is None:
        return None, None
    kind = first.lastgroup
    if kind.startswith("_"):
        return kind[1:], None
    return (LEARNING if kind in learning_kinds else DOING), kind


def lesson_sentence(key: str) -> str:
    return next(lesson.label for lesson in known_lessons() if lesson.key == key)
