"""The theme vocabulary, stored as data and versioned like the deadline rule sets.

A vocabulary is a JSON document (see ``vocabularies/dhr-themes.json``): each theme has a key,
label, group, a plain-language description and seed phrases. The bundled vocabulary is loaded
when a workspace opens; a newer version replaces its themes' wording and keeps every local theme.
A partnership adds its own themes (``python -m indexing themes add FILE`` or the Administration
page) with no change to the code. The theme keys are a contract: they never change meaning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from core.accounts import Viewer, require_coordinator
from core.db import Store, utc_now
from core.errors import ValidationError
from core.text import without_controls
from indexing.reading.facts import FIELDS as FACT_FIELDS
from indexing.reading.facts import READ_SENTENCES

BUNDLED = Path(__file__).parent / "vocabularies" / "dhr-themes.json"
GROUPS = {
    "abuse": "Forms of abuse",
    "circumstances": "Circumstances",
    "practice": "Practice",
    "recommendation": "Recommendation themes (Home Office)",
}
PASSAGE_GROUPS = ("abuse", "circumstances", "practice")
THEME_FIELDS = {"key", "label", "group", "description", "seeds", "requires_words", "patterns", "not_within"}
MAX_PATTERN = 200  # characters in one pattern
KEY = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
MAX_THEMES = 500
"""The most themes a workspace holds (the bundled vocabulary has 46). Every theme is embedded and
scored against every passage, and adding 100,000 held the workspace's write lock for 282 s."""
MAX_SEEDS = 50
"""The most seed phrases one theme may have (the bundled themes have up to 20): each is embedded."""
MAX_THEME_TEXT = 2000
"""The longest label, description or seed phrase: a description is a sentence or two."""


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    group: str
    description: str
    seeds: tuple[str, ...]
    origin: str = "vocabulary"
    # applied only where a seed phrase is named: for themes whose meaning is close to every DHR text
    requires_words: bool = False
    # regular expressions (case-insensitive) for what chairs write that no fixed phrase catches:
    # ages ("aged 71", "in her late 70s"), euphemisms, relationships ("killed by her son")
    patterns: tuple[str, ...] = ()
    # phrases within which a seed phrase names something else, a service, a review type or a body:
    # "Child Safeguarding Practice Review" is no mention of children, "children and young people" of young people
    not_within: tuple[str, ...] = ()


def _phrases(item: dict, field: str, where: str, problems: list[str]) -> list[str]:
    """A theme's list of phrases (its seeds, or what they are not within), checked and tidied."""
    phrases = item.get(field, [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) and without_controls(p).strip() for p in phrases):
        problems.append(f"{where}.{field}: a list of phrases")
        return []
    if len(phrases) > MAX_SEEDS or any(len(p) > MAX_THEME_TEXT for p in phrases):
        problems.append(f"{where}.{field}: at most {MAX_SEEDS} phrases of under {MAX_THEME_TEXT:,} characters")
    return [without_controls(p).strip() for p in phrases]


def _theme(item: object, where: str, problems: list[str]) -> Theme | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be an object")
        return None
    for unknown in sorted(set(item) - THEME_FIELDS):
        problems.append(f"{where}: unknown field {unknown!r} (allowed: {', '.join(sorted(THEME_FIELDS))})")
    key = item.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        problems.append(f"{where}.key: lower-case letters, digits and '_' (e.g. gambling_harm)")
    for field in ("label", "description"):
        if not isinstance(item.get(field), str) or not without_controls(item[field]).strip():
            problems.append(f"{where}.{field}: missing or empty")
        elif len(item[field]) > MAX_THEME_TEXT:
            problems.append(f"{where}.{field}: {len(item[field]):,} characters; keep it under {MAX_THEME_TEXT:,}")
    if item.get("group") not in GROUPS:
        problems.append(f"{where}.group: one of {', '.join(GROUPS)}")
    seeds = _phrases(item, "seeds", where, problems)
    if not isinstance(item.get("requires_words", False), bool):
        problems.append(f"{where}.requires_words: true or false")
    patterns = item.get("patterns", [])
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p.strip() for p in patterns):
        problems.append(f"{where}.patterns: a list of regular expressions")
        patterns = []
    for pattern in patterns:
        if len(pattern) > MAX_PATTERN:
            problems.append(f"{where}.patterns: {pattern[:40]!r}... is longer than {MAX_PATTERN} characters")
            continue
        try:
            re.compile(pattern)
        except re.error as error:
            problems.append(f"{where}.patterns: {pattern!r} is not a valid regular expression ({error.msg})")
    not_within = _phrases(item, "not_within", where, problems)
    if problems:
        return None
    return Theme(
        key,
        without_controls(item["label"]).strip(),
        item["group"],
        without_controls(item["description"]).strip(),
        tuple(seeds),
        requires_words=item.get("requires_words", False),
        patterns=tuple(patterns),
        not_within=tuple(not_within),
    )


def parse_themes(items: object, *, origin: str) -> list[Theme]:
    """A list of theme objects, strictly checked; ValidationError names every problem."""
    if not isinstance(items, list) or not items:
        raise ValidationError("themes: give a list of at least one theme")
    if len(items) > MAX_THEMES:
        raise ValidationError(f"themes: {len(items):,} themes, more than the {MAX_THEMES} a workspace holds")
    problems: list[str] = []
    themes = []
    for i, item in enumerate(items):
        found: list[str] = []
        theme = _theme(item, f"themes[{i}]", found)
        problems += found
        if theme:
            themes.append(Theme(**{**theme.__dict__, "origin": origin}))
    keys = [t.key for t in themes]
    problems += [f"themes: {k!r} appears twice" for k in sorted({k for k in keys if keys.count(k) > 1})]
    if problems:
        raise ValidationError(problems)
    return themes


@dataclass(frozen=True)
class FactRule:
    """A theme that rests on a case fact the library reads out of a review (``indexing.reading``): the
    document is about the theme when its fact is one of ``about`` (or at least ``at_least``), and not
    about it when the fact is one of ``not_about`` (or below ``at_least``), whatever its passages
    mention; where the text does not state the fact, the passages decide. ``"victim_age", at_least 60``
    makes a victim aged 71 an older victim and one aged 34 not, even beside "older people" services.
    ``under`` only affirms: ``"victim_age", under 25`` makes a victim aged 19 a young person's case, and leaves
    one aged 40 to the passages (a theme of young victims or perpetrators is not denied by the victim's age)."""

    theme: str
    fact: str
    about: tuple = ()
    not_about: tuple = ()
    at_least: int | None = None
    under: int | None = None

    def decides(self, value: object) -> bool | None:
        """True (about the theme), False (not about it) or None (this fact does not decide)."""
        if value is None:
            return None
        if self.under is not None:
            return True if isinstance(value, int) and not isinstance(value, bool) and value < self.under else None
        if self.at_least is not None:
            return isinstance(value, int) and not isinstance(value, bool) and value >= self.at_least
        if value in self.about:
            return True
        return False if value in self.not_about else None


FACT_RULE_FIELDS = {"theme", "fact", "about", "not_about", "at_least", "under"}


def _rule_items(items: object, field: str, fields: set[str], problems: list[str]) -> list[tuple[str, dict]]:
    """(where, rule) for each object of a vocabulary's list of rules ``field``; what is not an object, or
    holds a field not in ``fields``, is added to ``problems``."""
    if not isinstance(items, list):
        raise ValidationError(f"vocabulary.{field}: a list of rules")
    found = []
    for i, item in enumerate(items):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object")
            continue
        problems += [f"{where}: unknown field {k!r}" for k in sorted(set(item) - fields)]
        found.append((where, item))
    return found


def parse_fact_rules(items: object, theme_keys: set[str]) -> list[FactRule]:
    """A vocabulary's ``fact_rules``, strictly checked; ValidationError names every problem."""
    problems: list[str] = []
    rules = []
    for where, item in _rule_items(items, "fact_rules", FACT_RULE_FIELDS, problems):
        if item.get("theme") not in theme_keys:
            problems.append(f"{where}.theme: one of the vocabulary's theme keys")
        if item.get("fact") not in FACT_FIELDS:
            problems.append(f"{where}.fact: one of {', '.join(FACT_FIELDS)}")
        at_least, under = item.get("at_least"), item.get("under")
        for name, bound in (("at_least", at_least), ("under", under)):
            if bound is not None and (not isinstance(bound, int) or isinstance(bound, bool)):
                problems.append(f"{where}.{name}: a whole number")
        values = [item.get(k, []) for k in ("about", "not_about")]
        if not all(isinstance(v, list) for v in values):
            problems.append(f"{where}.about, not_about: lists of the fact's values")
        elif at_least is None and under is None and not any(values):
            problems.append(f"{where}: give at_least, under, or the values that are (not) about the theme")
        elif not problems:
            rules.append(FactRule(item["theme"], item["fact"], tuple(values[0]), tuple(values[1]), at_least, under))
    if problems:
        raise ValidationError(problems)
    return rules


def parse_vocabulary(document: object) -> tuple[str, str, list[Theme]]:
    if not isinstance(document, dict):
        raise ValidationError("vocabulary: the document must be a JSON object")
    problems = [f"vocabulary.{k}: missing or empty" for k in ("name", "version") if not document.get(k)]
    if problems:
        raise ValidationError(problems)
    themes = parse_themes(document.get("themes"), origin="vocabulary")
    keys = {t.key for t in themes}
    parse_fact_rules(document.get("fact_rules", []), keys)  # checked before it is installed
    parse_sentence_rules(document.get("sentence_rules", []), keys)
    parse_name_words(document.get("name_words", []))
    parse_held_within(document.get("held_within", []), keys)
    return str(document["name"]), str(document["version"]), themes


def _row(theme: Theme, actor: str, version: str | None) -> dict:
    return {
        "key": theme.key,
        "label": theme.label,
        "grp": theme.group,
        "description": theme.description,
        "seeds": json.dumps(list(theme.seeds)),
        "requires_words": int(theme.requires_words),
        "patterns": json.dumps(list(theme.patterns)),
        "not_within": json.dumps(list(theme.not_within)),
        "origin": theme.origin,
        "vocabulary_version": version,
        "added_by": actor,
        "added_at": utc_now(),
    }


@lru_cache(maxsize=1)
def _bundled_document() -> dict:
    """The shipped vocabulary's JSON, read once for every part the ``bundled_*`` readers parse from it."""
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def install_bundled_vocabulary(store: Store) -> bool:
    """Load the shipped vocabulary (idempotent). True when it changed what is stored (retag then)."""
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    name, version, themes = parse_vocabulary(document)
    if store.read()["theme_vocabularies"].count_where("name = ? AND version = ?", [name, version]):
        return False
    with store.write("system") as tx:
        tx.insert(
            "theme_vocabularies",
            {"name": name, "version": version, "definition": json.dumps(document), "installed_at": utc_now()},
        )
        for theme in themes:
            row = _row(theme, "system", version)
            existing = list(tx.db["themes"].rows_where("key = ?", [theme.key]))
            if not existing:
                tx.insert("themes", row)
            elif existing[0]["origin"] == "vocabulary":
                tx.update("themes", theme.key, {k: v for k, v in row.items() if k not in ("added_by", "added_at")})
    return True


def add_themes(store: Store, viewer: Viewer, *, document: object) -> list[Theme]:
    """The coordinator adds local themes (a JSON list, or an object with a "themes" list), or
    rewords local themes already added. The vocabulary's own themes cannot be replaced this way."""
    require_coordinator(viewer, "Only the coordinator can add themes")
    items = document.get("themes") if isinstance(document, dict) else document
    themes = parse_themes(items, origin="local")
    install_bundled_vocabulary(store)  # so that a local key can never take a vocabulary theme's place
    with store.write(viewer.username) as tx:
        clashes = [t.key for t in themes if tx.db["themes"].count_where("key = ? AND origin = 'vocabulary'", [t.key])]
        if clashes:
            raise ValidationError([f"key: {k!r} is a vocabulary theme; choose another key" for k in clashes])
        keys = {r["key"] for r in tx.db.query("SELECT key FROM themes")} | {t.key for t in themes}
        if len(keys) > MAX_THEMES:
            raise ValidationError(
                f"themes: the workspace would hold {len(keys):,} themes, more than {MAX_THEMES}; remove some first"
            )
        for theme in themes:
            row = _row(theme, viewer.username, None)
            if tx.db["themes"].count_where("key = ?", [theme.key]):
                tx.update("themes", theme.key, {k: v for k, v in row.items() if k not in ("added_by", "added_at")})
            else:
                tx.insert("themes", row)
    return themes


@lru_cache(maxsize=1)
def bundled_themes() -> tuple[Theme, ...]:
    """The shipped vocabulary's themes, read from its JSON file."""
    return tuple(parse_vocabulary(_bundled_document())[2])


@dataclass(frozen=True)
class SentenceRule:
    """Sentences of one kind (``sentence``, a regular expression, case-insensitive) that name none of
    ``themes``: a sentence about the death itself ("pronounced dead", "the post-mortem") says nothing of
    the case's history before it (earlier strangulation, police contact, violence); a sentence with a
    perpetrator and an age gives no victim's age. ``about`` says which kind, in words. A rule may instead
    name (``reads``) a kind of sentence the case-facts reader recognises (``READ_SENTENCES``: "no_children",
    the sentences that say no children lived in the household), so the two never disagree."""

    about: str
    sentence: re.Pattern
    themes: tuple[str, ...]


SENTENCE_RULE_FIELDS = {"about", "sentence", "reads", "themes"}


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def parse_sentence_rules(items: object, theme_keys: set[str]) -> list[SentenceRule]:
    """A vocabulary's ``sentence_rules``, strictly checked; ValidationError names every problem."""
    problems: list[str] = []
    rules = []
    for where, item in _rule_items(items, "sentence_rules", SENTENCE_RULE_FIELDS, problems):
        themes = item.get("themes")
        if not isinstance(themes, list) or not themes or any(k not in theme_keys for k in themes):
            problems.append(f"{where}.themes: a list of the vocabulary's theme keys")
        if "reads" in item:
            reads = item["reads"] if isinstance(item["reads"], str) and "sentence" not in item else None
            sentence = READ_SENTENCES.get(reads) if reads else None
            if sentence is None:
                problems.append(f"{where}.reads: one of {', '.join(READ_SENTENCES)}, in place of a sentence")
        else:
            try:
                sentence = re.compile(item["sentence"], re.IGNORECASE) if _text(item.get("sentence")) else None
            except re.error:
                sentence = None
            if sentence is None:
                problems.append(f"{where}.sentence: a regular expression that finds the sentences")
        if not problems:
            rules.append(SentenceRule(str(item.get("about", "")), sentence, tuple(themes)))
    if problems:
        raise ValidationError(problems)
    return rules


@lru_cache(maxsize=1)
def bundled_sentence_rules() -> tuple[SentenceRule, ...]:
    """The shipped vocabulary's kinds of sentence that name none of some themes (its ``sentence_rules``)."""
    document = _bundled_document()
    return tuple(parse_sentence_rules(document.get("sentence_rules", []), {t.key for t in bundled_themes()}))


@dataclass(frozen=True)
class HeldWithin:
    """A theme (``theme``) that a broader one (``within``) holds: a document its passages make about both is
    about the broader one only. "Homicide followed by suicide" holds "Suicide of the perpetrator": a report of a
    husband who shot his wife and then himself tells one homicide-suicide, not a separate suicide. A passage still
    names both; a case fact that states the narrower theme (``fact_rules``) still makes the document about it."""

    theme: str
    within: str


HELD_WITHIN_FIELDS = {"about", "theme", "within"}


def parse_held_within(items: object, theme_keys: set[str]) -> list[HeldWithin]:
    """A vocabulary's ``held_within``, strictly checked; ValidationError names every problem."""
    problems: list[str] = []
    rules = []
    for where, item in _rule_items(items, "held_within", HELD_WITHIN_FIELDS, problems):
        theme, within = item.get("theme"), item.get("within")
        if theme not in theme_keys or within not in theme_keys or theme == within:
            problems.append(f"{where}: theme and within, two of the vocabulary's theme keys")
        if not _text(item.get("about")):
            problems.append(f"{where}.about: why the one holds the other, in words")
        if not problems:
            rules.append(HeldWithin(theme, within))
    if problems:
        raise ValidationError(problems)
    return rules


@lru_cache(maxsize=1)
def bundled_held_within() -> tuple[HeldWithin, ...]:
    """The shipped vocabulary's themes that a broader theme holds (its ``held_within``)."""
    document = _bundled_document()
    return tuple(parse_held_within(document.get("held_within", []), {t.key for t in bundled_themes()}))


NAME_WORD = re.compile(r"^[A-Z][a-z]+$")


def parse_name_words(items: object) -> frozenset[str]:
    """A vocabulary's ``name_words``: the capitalised words that end the name of an organisation ("Board",
    "Partnership", "Commissioner"). A seed phrase within such a name, "the Domestic, Family and Sexual Violence
    Board", names the body, not a theme of the case; checked strictly, ValidationError says what to fix."""
    if not isinstance(items, list) or not all(isinstance(w, str) and NAME_WORD.match(w) for w in items):
        raise ValidationError("vocabulary.name_words: a list of single capitalised words, such as Board")
    return frozenset(items)


@lru_cache(maxsize=1)
def bundled_name_words() -> frozenset[str]:
    """The shipped vocabulary's words that end an organisation's name (its ``name_words``)."""
    return parse_name_words(_bundled_document().get("name_words", []))


@lru_cache(maxsize=1)
def bundled_fact_rules() -> tuple[FactRule, ...]:
    """The shipped vocabulary's themes that rest on case facts (its ``fact_rules``)."""
    document = _bundled_document()
    return tuple(parse_fact_rules(document.get("fact_rules", []), {t.key for t in bundled_themes()}))


def group_labels(db: sqlite_utils.Database | None, group: str) -> dict[str, str]:
    """key -> label for one group: the shipped vocabulary's, then any stored or local ones."""
    found = {t.key: t.label for t in bundled_themes() if t.group == group}
    if db is not None:
        found |= {t.key: t.label for t in list_themes(db, (group,))}
    return found


def list_themes(db: sqlite_utils.Database, groups: tuple[str, ...] | None = None) -> list[Theme]:
    """Themes in vocabulary order (local ones after), optionally only some groups."""
    rows = db.query("SELECT * FROM themes ORDER BY origin = 'local', rowid")
    themes = [_stored_theme(r) for r in rows]
    return [t for t in themes if groups is None or t.group in groups]


def _stored_theme(row: dict) -> Theme:
    return Theme(
        row["key"],
        row["label"],
        row["grp"],
        row["description"],
        tuple(json.loads(row["seeds"])),
        row["origin"],
        bool(row["requires_words"]),
        tuple(json.loads(row.get("patterns") or "[]")),
        tuple(json.loads(row.get("not_within") or "[]")),
    )
