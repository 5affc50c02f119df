"""The theme tagger: a small estimator over the embeddings the library already stores.

A passage (or a recommendation) gets a theme when its text names one of the theme's seed phrases
(whole words, simple inflections, acronyms matched in capitals) and its meaning is not far from
the theme, or when its meaning alone is close to the theme's prototypes: the seed phrases, the
description, and every example a person confirmed. An example a person rejected vetoes the theme
for text that is closer to it than to any prototype. Scores are in [0, 1]; thresholds are
parameters, tuned on the labelled sets in benchmarks/ (never literals inside the scoring).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from indexing.chunking import tokenizer
from indexing.literals import Caseless
from indexing.reading.sentences import sentences
from indexing.themes import SentenceRule, Theme, bundled_name_words, bundled_sentence_rules

Encoder = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Example:
    """A person's decision on one text: confirmed (True) or rejected (False) for a theme."""

    theme: str
    vector: np.ndarray
    confirmed: bool
    text: str = ""


TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
SUFFIXES = ("'s", "ing", "ed")
VOWELS = "aeiou"
SIBILANTS = ("s", "x", "z", "ch", "sh")  # plurals in -es: 'witnesses', 'boxes'; others lose the -s alone
# a sentence that says what reviews in general are or do ("DHRs are victim-centred, and family and friends are
# invited to take part"; "these reviews are also conducted in the cases of deaths by suicide"): the statutory
# boilerplate most reviews and learning briefs quote, which names themes of no case in particular
ABOUT_REVIEWS = re.compile(
    r"\b(?:DHRs|DARDRs|domestic homicide reviews|these reviews|reviews)(?:\s*\([^)]*\))?"
    r"\s+(?:are|also|were|do|seek|explore|consider|take place|will)\b",
    re.IGNORECASE,
)
ABOUT_REVIEWS_WORDS = ("reviews", "dhrs", "dardrs")  # one of them is in every text ABOUT_REVIEWS finds anything in
SENTENCE_END = re.compile(r"[.!?\n]")
SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n")  # not the point inside "1.4" or "e.g"
# the items of a list a sentence introduces with a colon ("Disabled people are more likely to:" and its bullets):
# lines that begin with a bullet or an item's number, blank lines between them
LIST_ITEMS = re.compile(r"(?:\n[ \t]*(?:(?:[-*\u2022\u00b7\u25aa]|\d{1,2}[.)])[ \t][^\n]*)?(?=\n|$))+")
# A general statement: a sentence that says what holds of many people or cases, not what happened in the document's
# own: a figure over a population ("1 in 4 women", "52% (of 29) familial victims", "in some cases"), a definition or
# what something can include ("Domestic abuse can include ..."), what research finds ("increased the odds", a
# citation), what people of a kind do ("victims who died by suicide", "some may ... others may"). Word classes,
# not sentences: GENERAL finds a mark of one, CASE_PEOPLE a person of a case (a pronoun for one person, "the
# victim", "the woman", "Mrs A", a name's possessive, an age), which makes the sentence the case's own however
# general its words. Such a sentence still mentions the theme (the passage view), but it is no evidence that a
# document telling one case is about it (``ThemeTagger.tag``); the practice themes are left to the passages, since
# a review's lessons are general statements about practice by nature.
_MANY = (
    r"(?:women|men|people|persons|victims|survivors|perpetrators|offenders|adults|parents|couples|families|cases|"
    r"homicides|deaths|(?:murder-|homicide-)?suicides|killings|reviews|dhrs)"
)
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
# written in lower case and searched over the text's lower-cased copy, the words' alternatives under one leading \b
# (the regex engine tries each position once, not once for each alternative)
GENERAL = re.compile(
    r"\d\s?%|\(of \d|\b(?:per ?cent\b|n ?= ?\d"
    rf"|{_NUMBER} in (?:every )?{_NUMBER}\b|(?:an )?estimated \d"
    rf"|(?:most|many|some|all|few|several|the majority of) (?:[\w-]+ ){{0,2}}{_MANY}\b"
    r"|(?:every|any|each) (?:[\w-]+ ){0,2}(?:killing|death|homicide|suicide|case|review|victim|person)\b"
    r"|(?:in|on) (?:some|many|most|other|such) (?:cases|occasions)\b|there are (?:occasions|cases|times)\b"
    r"|(?:some|others|many|most) (?:may|might|can|will|do|are|have)\b"
    rf"|{_MANY} (?:who|with|in this|are|must|may|can)\b"
    r"|(?:odds|prevalence|risk factors?|rare|rarely|commonly|typically|(?:more|less) likely)\b"
    r"|(?:can|may|might|could|will|often) (?:also )?(?:include|involve|occur|encompass)\b"
    r"|defin(?:ed|es|ition)\b|includes? [^.!?]*\bwhich is an?\b)"
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
CITATION = re.compile(  # an author and a year in brackets, "(Bonnie and Wallace 2002)", never a date "(March 2012)"
    rf"\((?!(?:{_MONTHS})\b)[A-Z][\w'-]+(?: (?:and|&) [A-Z][\w'-]+)?(?: et al\.?)?,? (?:19|20)\d\d[a-z]?\)"
)
CASE_PEOPLE = re.compile(
    r"\b(?:he|she|him|his|her|hers|himself|herself)\b|\bthe (?:deceased|couple|man|woman|boy|girl|"
    r"mother|father|son|daughter|husband|wife|partner|ex-partner|boyfriend|girlfriend)\b(?![s'\u2019])"
    r"|\b\d{1,3}[- ]years?[- ]old\b|\baged \d|(?-i:\b(?:Mr|Mrs|Ms|Miss|Adult|Victim|Subject)\.? [A-Z]\w*"
    r"|\b[A-Z][a-z]+['\u2019]s\b)",
    re.IGNORECASE,
)
CASE_GROUPS = ("abuse", "circumstances")  # the themes a general statement is no evidence of: what happened in a case


def general_statements(text: str, lowered: str) -> list[tuple[int, int]]:
    """Where ``text``'s general statements lie (GENERAL or CITATION in a sentence with no person of a case,
    CASE_PEOPLE), read as the case-facts reader reads sentences (a line a PDF wrapped is no sentence's end);
    ``lowered``: the text in lower case. Most passages have none, found with one scan and no sentences."""
    if not (GENERAL.search(lowered) or ("(" in text and CITATION.search(text))):
        return []
    return [
        (sentence.start, sentence.end)
        for sentence in sentences(text)
        if (
            GENERAL.search(lowered, sentence.start, sentence.end) or CITATION.search(text, sentence.start, sentence.end)
        )
        and not CASE_PEOPLE.search(sentence.text)
    ]


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans (in order, apart), what lay either side of each joined by a space."""
    if not spans:
        return text
    ends = [0] + [end for _, end in spans]
    starts = [start for start, _ in spans] + [len(text)]
    return " ".join(text[end:start] for end, start in zip(ends, starts, strict=True))


NAME_JOINERS = frozenset({"and", "of", "for", "on"})  # lower-case words within a name: "Family and Sexual Violence"
STATED = 2.0  # a pattern's hit: the text states the theme outright, so its confidence is full
NAMED_CEILING = 0.99  # a seed phrase, however close the meaning, stays below a stated fact


@functools.lru_cache(maxsize=200_000)  # a library's words repeat: each is stemmed once per process
def _stem(token: str) -> str:
    """A crude stem, the same for seeds and text: 'trained', 'training' and 'trains' are 'train', 'caring',
    'cared' and 'cares' are 'care' (never 'car'); a plural is its singular ('enquiries' is 'enquiry', 'services'
    'service', 'refugees' 'refugee', never 'refuge')."""
    token = token.lower()
    for suffix in SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            stem = token[: -len(suffix)]
            return stem + "e" if suffix != "'s" and _one_short_syllable(stem) else stem
    if token.endswith("ies") and len(token) >= 6:
        return token[:-3] + "y"
    if token.endswith("es") and token[:-2].endswith(SIBILANTS) and len(token) >= 5:
        return token[:-2]
    if token.endswith("s") and not token.endswith("ss") and len(token) >= 4:
        return token[:-1]
    return token


def _one_short_syllable(stem: str) -> bool:
    """A consonant, a vowel and a consonant ('car' of 'caring', 'mov' of 'moved'): a verb that lost its 'e'
    with the suffix, so its stem is the verb ('care', 'move'), never another word ('car', a vehicle)."""
    return len(stem) == 3 and stem[0] not in VOWELS and stem[1] in VOWELS and stem[2] not in VOWELS + "wxy"


def _is_acronym(seed: str) -> bool:
    letters = [c for c in seed if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in seed.strip()


def _without(text: str, sentences: re.Pattern) -> str:
    """The text without the sentences in which ``sentences`` finds something, a sentence that ends in a colon
    with the list it introduces (its items complete it: "Disabled people are more likely to:" / "be threatened
    with violence")."""
    kept, reached = [], 0
    for found in sentences.finditer(text):
        if found.start() < reached:
            continue
        start = max(text.rfind(end, 0, found.start()) for end in ".!?\n") + 1
        after = SENTENCE_END.search(text, found.end())
        kept.append(text[reached:start])
        reached = after.start() if after else len(text)
        if text[start:reached].rstrip().endswith(":"):
            reached = LIST_ITEMS.match(text, reached).end()
    return " ".join(kept + [text[reached:]]) if kept else text


def _continues(before: str, text: str) -> bool:
    """Whether ``text`` begins where ``before`` goes on with it after a word or a comma of the same sentence
    (an overlap cut mid-sentence before a capital: a name), not after a sentence's end or a line's start."""
    head = SENTENCE_END.split(text[:40], maxsplit=1)[0]
    at = before.rfind(head) if head[:1].isupper() else -1  # the overlap is the end of the passage before
    mark = before[:at].rstrip(" \t")[-1:] if at > 0 else ""
    return mark.isalnum() or mark == ","


def own_sentences(texts: Sequence[str], carried_over: int) -> list[str]:
    """Passages cut with overlap, each that begins mid-sentence (with a lower-case word, or with a capital
    the passage before it holds after a word of the same sentence: "Subject B and their family and friends"
    after "engagement between agencies and Subject A, ") without the end of that sentence, where the end lies
    within the ``carried_over`` word pieces it surely shares with the passage before it: that passage holds the
    whole sentence, so the sentence is read once and whole, and a rule that needs all of it (a sentence about
    reviews in general, a phrase that names something else) sees all of it. "...family and friends are invited
    to take part." is no mention of family involvement when the passage before it holds "DHRs are
    victim-centred, and family and friends..."."""
    found = list(texts)
    if not carried_over:
        return found
    begun: dict[int, tuple[str, int]] = {}  # passage -> (its text from its first word, where that sentence ends)
    for i, text in enumerate(found):
        stripped = text.lstrip()
        begins_within = stripped[:1].islower() or (i > 0 and _continues(texts[i - 1], stripped))
        end = SENTENCE_BREAK.search(stripped) if begins_within else None
        if end and len(stripped[: end.end()].split()) <= carried_over:  # a word is at least one piece
            begun[i] = (stripped, end.end())
    pieces = tokenizer().encode_batch([t[:end] for t, end in begun.values()], add_special_tokens=False)
    for (i, (stripped, end)), encoded in zip(begun.items(), pieces, strict=True):
        if len(encoded.ids) <= carried_over:
            found[i] = stripped[end:]
    return found


def _within_names(tokens: list[str], name_words: frozenset[str]) -> set[int]:
    """The positions of the words that lie within an organisation's name: the capitalised words (and the
    "and", "of" between them) before a word that ends a name, "NSW Domestic, Family and Sexual Violence" of
    "... Board"; the ending word itself is left out, so a seed phrase that holds it still names its theme."""
    found: set[int] = set()
    if not name_words.intersection(tokens):
        return found
    for end, token in enumerate(tokens):
        if token in name_words:
            start = end
            while start and (
                tokens[start - 1][:1].isupper()
                or (tokens[start - 1] in NAME_JOINERS and start > 1 and tokens[start - 2][:1].isupper())
            ):
                start -= 1
            found.update(range(start, end))
    return found


def _in_capitals(tokens: list[str], start: int, end: int) -> bool:
    """Whether the words from ``start`` to ``end`` are one word written in capitals amid ordinary text, as a
    charity's name is ("research with REFUGE"): a name, not the thing its word means (a refuge). A heading in
    capitals ("DOMESTIC ABUSE AND HOUSING") is not amid ordinary text."""
    word = tokens[start]
    return (
        end - start == 1
        and len(word) > 1
        and word.isupper()
        and not (start and tokens[start - 1].isupper())
        and not (end < len(tokens) and tokens[end].isupper())
    )


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in TOKEN.findall(phrase.replace("\u2019", "'")))


# a trie of the phrases' stemmed words: word -> the node after it; END -> the themes of the phrase that ends there
Phrases = dict
END = ""  # no word stems to ""


def _index(phrases: Phrases, words: tuple[str, ...], owner: int) -> None:
    node = phrases
    for word in words:
        node = node.setdefault(word, {})
    node.setdefault(END, set()).add(owner)


def _found(phrases: Phrases, stems: list[str]):
    """(start, end, themes) for every phrase of ``phrases`` the stemmed words hold: from each word that begins one,
    along the trie as far as the words follow it (a word such as "her" begins many phrases, and each is compared
    only as far as it agrees)."""
    for start in [i for i, stem in enumerate(stems) if stem in phrases]:  # most words begin no phrase
        node, end = phrases, start
        while end < len(stems) and (node := node.get(stems[end])) is not None:
            end += 1
            if END in node:
                yield start, end, node[END]


class LexicalMatcher:
    """Which themes' seed phrases each text names, in one pass over its words: phrases are matched
    word by word on crude stems (so inflections match), acronyms ("MARAC", "FGM") in capitals only,
    except where the words lie within a phrase the theme says names something else ("Child
    Safeguarding Practice Review" for children), lie within an organisation's name (the capitalised
    words before one of the vocabulary's ``name_words``: "the Domestic, Family and Sexual Violence
    Board"), or are one word in capitals amid ordinary text ("REFUGE", the charity); then each theme's
    patterns (regular expressions, case-insensitive) over the text. Sentences that say what reviews in
    general are (ABOUT_REVIEWS) are not read: they name no theme of the document's own case; nor, for
    some themes, the sentences of a kind the vocabulary's ``sentence_rules`` name (a sentence about the
    death itself is no history of earlier strangulation)."""

    def __init__(
        self,
        themes: Sequence[Theme],
        sentence_rules: Sequence[SentenceRule] | None = None,
        name_words: frozenset[str] | None = None,
    ):
        self.size = len(themes)
        self.case_columns = np.array([i for i, t in enumerate(themes) if t.group in CASE_GROUPS], dtype=np.int64)
        self.name_words = bundled_name_words() if name_words is None else name_words
        index = {theme.key: i for i, theme in enumerate(themes)}
        self.sentence_rules = [  # (the rule, the same searched on a lower-cased copy, the themes it is for, as a set)
            (rule.sentence, Caseless.of(rule.sentence), columns, frozenset(columns))
            for rule in (bundled_sentence_rules() if sentence_rules is None else sentence_rules)
            if (columns := [index[k] for k in rule.themes if k in index])
        ]
        self.patterns = [
            (Caseless.of(re.compile("|".join(f"(?:{p})" for p in theme.patterns), re.IGNORECASE)), i)
            for i, theme in enumerate(themes)
            if theme.patterns
        ]
        self.phrases: Phrases = {}
        self.not_within: Phrases = {}
        self.acronyms: dict[str, set[int]] = {}
        for i, theme in enumerate(themes):
            for seed in theme.seeds:
                if _is_acronym(seed):
                    self.acronyms.setdefault(seed.strip().rstrip("s"), set()).add(i)
                elif words := _words(seed):
                    _index(self.phrases, words, i)
            for phrase in theme.not_within:
                if words := _words(phrase):
                    _index(self.not_within, words, i)

    def match(self, texts: Sequence[str]) -> np.ndarray:
        """A (texts × themes) matrix: 1.0 where the text names a seed phrase of the theme, STATED where
        one of its patterns states it (a case fact: an age, a euphemism, a relationship)."""
        hits = np.zeros((len(texts), self.size), dtype=np.float32)
        for row, text in enumerate(texts):
            hits[row] = self._row(text)
        return hits

    def read(self, texts: Sequence[str], cases: Sequence[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``match``'s matrix, and beside it where a theme of what happened in a case (CASE_GROUPS) is named
        only in the text's general statements (``general_statements``): a mention, no evidence of the case.
        ``cases``: for each text, whether its document tells one case (where it does not, its general statements
        count as any other sentence does, and are not looked for); every text where None."""
        hits = self.match(texts)
        general = np.zeros((len(texts), self.size), dtype=bool)
        for row, text in enumerate(texts):
            named = self.case_columns[hits[row, self.case_columns] > 0]
            spans = general_statements(text, text.lower()) if named.size and (cases is None or cases[row]) else []
            if spans:  # the themes the general statements name, read alone, are all that may rest on them only
                said = " ".join(text[start:end] for start, end in spans)
                named = named[self._named(said, said.lower(), frozenset(named.tolist()))[named] > 0]
            if named.size and spans:
                general[row, named] = self._row(_cut(text, spans), frozenset(named.tolist()))[named] == 0
        return hits, general

    def _row(self, text: str, only: frozenset[int] | None = None) -> np.ndarray:
        """One text's row of ``match``; with ``only``, only those themes' patterns are searched."""
        lowered = text.lower()
        if any(word in lowered for word in ABOUT_REVIEWS_WORDS):  # a substring test costs a third of the search
            text = _without(text, ABOUT_REVIEWS)
            lowered = text.lower()
        row = self._named(text, lowered, only)
        # read again without those sentences only where it matters: the text names one of the themes
        named = set(np.flatnonzero(row).tolist())  # a set once, not an array lookup for every rule
        found = [
            (kind, columns)
            for kind, on_lowered, columns, of_themes in self.sentence_rules
            if not of_themes.isdisjoint(named) and on_lowered.search(text, lowered)
        ]
        if found:
            self._reread(text, found, row)
        return row

    def _reread(self, text: str, found: list[tuple[re.Pattern, list[int]]], row: np.ndarray) -> None:
        """Read ``text`` again for the themes of the rules that ``found`` sentences in it, each theme without
        the sentences of every such rule that is for it (a theme two rules are for is named in neither's
        sentences), one reading for the themes that share the same rules; ``row`` is updated in place."""
        by_rules: dict[tuple[int, ...], list[int]] = {}
        for column in sorted({c for _, columns in found for c in columns if row[c]}):  # a theme not named stays so
            by_rules.setdefault(tuple(i for i, (_, columns) in enumerate(found) if column in columns), []).append(
                column
            )
        for rules, columns in by_rules.items():
            kept = text
            for i in rules:
                kept = _without(kept, found[i][0])
            row[columns] = self._named(kept, kept.lower(), frozenset(columns))[columns]

    def _named(self, text: str, lowered: str, only: frozenset[int] | None = None) -> np.ndarray:
        """One text's row of ``match`` (``lowered``: the text in lower case, for the patterns); with ``only``,
        the patterns of those themes alone are searched (a text read again is read for a rule's themes)."""
        hits = np.zeros(self.size, dtype=np.float32)
        tokens = TOKEN.findall(text.replace("\u2019", "'"))
        stems = list(map(_stem, tokens))
        names = _within_names(tokens, self.name_words)  # words of an organisation's name name no theme
        masked: dict[int, set[int]] = {}  # theme -> positions of words that name something else
        for start, end, owners in _found(self.not_within, stems) if self.not_within else ():
            for owner in owners:
                masked.setdefault(owner, set()).update(range(start, end))
        for start, end, owners in _found(self.phrases, stems):
            if names.issuperset(range(start, end)) or _in_capitals(tokens, start, end):
                continue
            named = [o for o in owners if not masked.get(o, set()).issuperset(range(start, end))]
            hits[named] = 1.0
        stripped = list(map(str.rstrip, tokens, itertools.repeat("s")))  # "MARACs" is "MARAC"
        if not self.acronyms.keys().isdisjoint(stripped):  # most texts name no acronym: no loop over their words
            for position, token in enumerate(tokens):
                owners = self.acronyms.get(stripped[position])
                if owners and token[:2].isupper() and position not in names:
                    hits[[o for o in owners if position not in masked.get(o, ())]] = 1.0
        for pattern, owner in self.patterns:
            if (only is None or owner in only) and pattern.search(text, lowered):
                hits[owner] = STATED
        return hits


class ThemeTagger:
    """Fit on the themes (and people's examples), then score texts with their stored vectors.

    ``semantic_threshold``: closeness to a theme's prototypes that applies it without a seed phrase,
    provided the theme also stands ``relative_margin`` above the text's mean closeness to the group's
    themes (every DHR text is somewhat close to every DHR theme). ``lexical_floor``: closeness a text
    that names a seed phrase still needs (drops passing mentions in unrelated text).
    ``example_threshold``: closeness to an example a person decided that lets the decision carry over
    (a confirmed example applies its theme; a rejected one vetoes it when nearer than any confirmed).
    ``min_examples``: with this many decisions on a theme (some confirmed, some rejected), the theme's
    own thresholds are learnt from them: the cuts that best separate what people confirmed from what
    they rejected, each moved at most ``max_shift`` from the defaults. ``carried_over``: for passages cut
    with overlap, the word pieces a passage surely shares with the one before it (``own_sentences``);
    0 for texts that stand alone (recommendations, QA areas, actions).
    """

    def __init__(
        self,
        *,
        semantic_threshold: float = 0.55,
        relative_margin: float = 0.1,
        lexical_floor: float = 0.12,
        example_threshold: float = 0.85,
        min_examples: int = 8,
        max_shift: float = 0.1,
        carried_over: int = 0,
    ):
        self.semantic_threshold = semantic_threshold
        self.relative_margin = relative_margin
        self.lexical_floor = lexical_floor
        self.example_threshold = example_threshold
        self.min_examples = min_examples
        self.max_shift = max_shift
        self.carried_over = carried_over

    def fit(self, themes: Sequence[Theme], encode: Encoder, examples: Sequence[Example] = ()) -> ThemeTagger:
        self.themes = list(themes)
        self.keys = [t.key for t in self.themes]
        self.words_only = np.array([t.requires_words for t in self.themes], dtype=bool)
        self.matcher = LexicalMatcher(self.themes)
        texts, owners = [], []
        for i, theme in enumerate(self.themes):
            for text in (theme.description, *theme.seeds, f"{theme.label}: {theme.description}"):
                texts.append(text)
                owners.append(i)
        self.prototypes = encode(texts).astype(np.float32) if texts else np.zeros((0, 1), np.float32)
        self.owners = np.asarray(owners, dtype=np.int64)
        index = {k: i for i, k in enumerate(self.keys)}
        self.examples = {}
        for confirmed in (True, False):
            chosen = [e for e in examples if e.confirmed == confirmed and e.theme in index]
            vectors = np.vstack([e.vector for e in chosen]).astype(np.float32) if chosen else np.zeros((0, 1))
            self.examples[confirmed] = (vectors, np.asarray([index[e.theme] for e in chosen], dtype=np.int64))
        self.semantic_cut = np.full(len(self.keys), self.semantic_threshold, dtype=np.float32)
        self.floor_cut = np.full(len(self.keys), self.lexical_floor, dtype=np.float32)
        self._learn_cuts([e for e in examples if e.theme in index], index)
        return self

    def _learn_cuts(self, examples: Sequence[Example], index: dict[str, int]) -> None:
        """Per-theme thresholds from people's decisions, where there are enough of both kinds."""
        by_theme: dict[int, list[Example]] = {}
        for example in examples:
            by_theme.setdefault(index[example.theme], []).append(example)
        for theme, chosen in by_theme.items():
            labels = np.array([e.confirmed for e in chosen])
            if len(chosen) < self.min_examples or labels.all() or not labels.any():
                continue
            vectors = np.vstack([e.vector for e in chosen]).astype(np.float32)
            semantic = self.closeness(vectors)
            relative = (semantic - semantic.mean(axis=1, keepdims=True))[:, theme]
            lexical = self.named([e.text for e in chosen])[:, theme] > 0
            closeness = semantic[:, theme]
            near = np.concatenate([closeness, [self.semantic_threshold, self.lexical_floor]])
            best = (-1, self.semantic_threshold, self.lexical_floor, 0.0)
            for semantic_cut in near[np.abs(near - self.semantic_threshold) <= self.max_shift]:
                for floor_cut in near[np.abs(near - self.lexical_floor) <= self.max_shift]:
                    applies = (lexical & (closeness >= floor_cut)) | (
                        (closeness >= semantic_cut) & (relative >= self.relative_margin)
                    )
                    right = int((applies == labels).sum())
                    # ties keep the cuts nearest the defaults
                    distance = abs(semantic_cut - self.semantic_threshold) + abs(floor_cut - self.lexical_floor)
                    if right > best[0] or (right == best[0] and distance < best[3]):
                        best = (right, semantic_cut, floor_cut, distance)
            self.semantic_cut[theme], self.floor_cut[theme] = best[1], best[2]

    def _closest(self, vectors: np.ndarray, prototypes: np.ndarray, owners: np.ndarray) -> np.ndarray:
        """(texts × themes): each text's closeness to the nearest prototype of each theme."""
        closest = np.full((len(vectors), len(self.keys)), -1.0, dtype=np.float32)
        if not len(prototypes) or not len(vectors):
            return closest
        similarity = vectors @ prototypes.T
        for theme in np.unique(owners):
            closest[:, theme] = similarity[:, owners == theme].max(axis=1)
        return closest

    def closeness(self, vectors: np.ndarray) -> np.ndarray:
        """(texts × themes): how close each text's meaning is to each theme's nearest prototype."""
        return self._closest(np.asarray(vectors, dtype=np.float32), self.prototypes, self.owners)

    def named(self, texts: Sequence[str]) -> np.ndarray:
        """(texts × themes): the seed phrases and patterns each text names (``LexicalMatcher.match``),
        each passage read without the end of a sentence the passage before it holds whole."""
        return self.matcher.match(own_sentences(texts, self.carried_over))

    def scores(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """(texts × themes) scores in [0, 1]; 0 where the theme does not apply."""
        return self.tag(texts, vectors)[0]

    def tag(
        self, texts: Sequence[str], vectors: np.ndarray, cases: Sequence[bool] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``scores``, and beside them where a theme applies only through the passage's general statements
        (``LexicalMatcher.read``, looked for in the texts ``cases`` marks as a document telling one case): a
        mention of the theme, no evidence that the document is about it. A theme a person confirmed for a passage
        is evidence however it is worded."""
        vectors = np.asarray(vectors, dtype=np.float32)
        semantic = self.closeness(vectors)
        relative = semantic - semantic.mean(axis=1, keepdims=True)
        lexical, general = self.matcher.read(own_sentences(texts, self.carried_over), cases)
        applies = ((lexical > 0) & (semantic >= self.floor_cut)) | (
            (semantic >= self.semantic_cut) & (relative >= self.relative_margin) & ~self.words_only
        )
        confirmed = self._closest(vectors, *self.examples[True])
        rejected = self._closest(vectors, *self.examples[False])
        applies |= confirmed >= self.example_threshold
        applies &= ~((rejected >= self.example_threshold) & (rejected > confirmed))
        confidence = np.clip(0.5 * lexical + np.maximum(semantic, confirmed), 0.0, NAMED_CEILING)
        confidence = np.where((lexical >= STATED) | (confirmed >= self.example_threshold), 1.0, confidence)
        scores = np.where(applies, confidence, 0.0).astype(np.float32)
        return scores, general & (scores > 0) & (confirmed < self.example_threshold)

    def predict(self, texts: Sequence[str], vectors: np.ndarray) -> list[dict[str, float]]:
        """For each text, {theme key: score} for the themes that apply, best first."""
        result = []
        for row in self.scores(texts, vectors):
            found = {self.keys[i]: round(float(row[i]), 4) for i in np.flatnonzero(row)}
            result.append(dict(sorted(found.items(), key=lambda kv: -kv[1])))
        return result
