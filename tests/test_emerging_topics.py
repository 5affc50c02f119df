"""Emerging themes named as a coordinator would name them (issue #23, item 3): a topic no vocabulary names,
mixed into the real DHR fragments of ../shared/corpus/dhr, is one emerging theme whose terms are the topic's
words in the briefs' own forms, its phrases kept whole."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from core import schema
from core.accounts import Viewer
from core.schema import open_store
from indexing import emerging
from indexing.library import Library
from tests.conftest import COORD, run

DHR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dhr"
VETERANS = Path(__file__).parent / "fixtures" / "veterans"
BOARD = Viewer("board", "board", "Board member")


@pytest.fixture(scope="module")
def veterans_library(tmp_path_factory, embedder):
    store = open_store(tmp_path_factory.mktemp("veterans") / "dhr.sqlite")
    library = Library(store, embedder)
    library.ingest_paths(sorted(DHR.glob("*.txt")), viewer=COORD, access="public", kind="executive summary")
    library.ingest_paths(sorted(VETERANS.glob("brief-*.md")), viewer=COORD, access="public", kind="learning brief")
    emerging.compute(library, COORD)
    yield store
    store.close()


def test_briefs_on_a_new_topic_are_one_emerging_theme_named_by_its_phrase(veterans_library):
    found = emerging.emerging(veterans_library, BOARD)
    assert len(found) == 1  # nothing else: no boilerplate group from the real fragments
    theme = found[0]
    assert set(theme["document_names"]) == {f"brief-{i}.md" for i in range(1, 7)}
    assert len({p["document"] for p in theme["passages"]}) >= 3
    # "armed forces" is one phrase, never "armed" and "forces" apart; "veterans" is shown as the briefs write it
    assert "armed forces" in theme["terms"][:3]
    assert not {"armed", "forces"} & set(theme["terms"])
    assert "veterans" in theme["terms"][:3]


def test_word_forms_count_as_one_term_in_the_form_the_group_writes():
    group = [
        "He kept a gun in the farmhouse.",
        "His guns were never checked, and the guns were not locked away.",
        "Officers did not ask about the guns.",
        "A neighbour saw him carry a gun across the field.",
        "She told her friend that he frightened her.",
    ]
    rest = [
        "The partnership met to agree its annual priorities and budget.",
        "The strategy sets out priorities for the partnership over three years.",
        "A new budget was agreed for the priorities of the year.",
    ]
    labeller = emerging.Labeller(group + rest, set(ENGLISH_STOP_WORDS), emerging.Settings(min_documents=1, terms=3))
    # neither "gun" nor "guns" alone is in half the group's passages; as one term they are in four of five
    terms = labeller.terms_of(np.arange(len(group)), np.arange(len(group)))
    assert terms[0] == "guns"  # shown as the group writes it most
    assert "gun" not in terms



def test_a_passage_that_says_none_of_a_topics_words_is_not_one_of_its_passages():
    """Near a topic in meaning only ("his grandson visited at weekends" beside briefs about weekends spent
    fishing): the passages an emerging theme keeps each say one of its topic words, in any form."""
    group = [
        "He spent every weekend fishing at the lake and took her with him.",
        "The club's anglers saw him shouting at her by the water while he was fishing.",
        "He took her pension to pay for fishing tackle and club fees.",
        "Their grandson visited at weekends and stayed in the spare room.",
    ]
    labeller = emerging.Labeller(group + LIBRARY_REST, set(ENGLISH_STOP_WORDS), emerging.Settings(min_documents=1))
    assert labeller.saying(np.arange(len(group)), {"fish", "lake"}).tolist() == [0, 1, 2]


# the everyday words at the rate ordinary prose uses them (once or twice in a passage of fifty-odd words)
EVERYDAY_GROUP = [
    "Her sister told the review that the man had lost the savings on online gambling sites. He took out loans in "
    "her name to chase his losses, hid the letters from the bank and checked her purse for cash each evening "
    "before he went out to the bookmakers near their flat on the estate.",
    "The man spent most evenings gambling on roulette machines while the rent went unpaid. His partner paid what "
    "she could from her wages, and her friends described how his mood depended on whether he was winning; the "
    "debt adviser never asked about gambling or whether she felt frightened at home in the flat.",
    "Neighbours heard shouting from the flat after every big loss on football gambling. The probation officer "
    "knew of his gambling debts from an earlier conviction for theft from an employer, and the alcohol service "
    "he attended never screened for it, although the man told staff that betting calmed him down.",
    "Her son had run up large gambling debts with loan sharks to pay for casino apps, and the lenders came to "
    "the house. The bank noticed transfers from her account to gambling companies and told adult social care, "
    "but the concern was closed after one call that the man answered for her.",
]
LIBRARY_REST = [
    "The partnership met to agree its annual priorities and budget.",
    "The strategy sets out priorities for the partnership over three years.",
    "A new budget was agreed for the priorities of the year.",
    "Officers completed the risk assessment and referred the case to the conference.",
]


def test_everyday_words_never_outrank_the_topics_own_words():
    """Everyday words ("man", "told", "spent") are as rare in a small library as "gambling" is, but English uses them
    all the time: the topic's own word leads and the everyday ones are not terms at all."""
    labeller = emerging.Labeller(
        EVERYDAY_GROUP + LIBRARY_REST, set(ENGLISH_STOP_WORDS), emerging.Settings(min_documents=1, terms=5)
    )
    terms = labeller.terms_of(np.arange(len(EVERYDAY_GROUP)), np.arange(len(EVERYDAY_GROUP)))
    assert terms[0] == "gambling"
    assert not {"man", "told", "lost", "spent", "heard"} & set(terms)


def test_the_people_of_every_review_are_no_topic_term():
    """Briefs about a shared business name the husband or wife in most passages, as every review does: the topic
    is the business, and who is related to whom is no term of it."""
    group = [
        "Her husband registered the takeaway business in her name and kept the takings; the business owed VAT "
        "and the debts were hers when the company failed.",
        "His wife owned the hardware business and paid him nothing for his work there; staff saw her husband "
        "shout at him on the shop floor of the business.",
        "The salon business was jointly owned, but her husband held the business account and gave her an "
        "allowance from what she earned there.",
    ]
    stop_words = set(ENGLISH_STOP_WORDS) | emerging.DOMAIN_STOP_WORDS
    labeller = emerging.Labeller(group + LIBRARY_REST, stop_words, emerging.Settings(min_documents=1, terms=5))
    terms = labeller.terms_of(np.arange(len(group)), np.arange(len(group)))
    assert terms[0] == "business"
    assert not {"husband", "wife"} & set(terms)


def test_contact_and_publication_lines_give_no_term():
    """Every brief of a board ends with the same contact line and opens with the same header: they name the
    board, its email and its phone, never a topic; prose that mentions contacting someone stays."""
    brief = (
        'Kestrel Vale Community Safety Partnership | Domestic Homicide Review "Anna" | Published March 2024\n'
        "Anna's partner drove lorries for a haulage firm. Jodie contacted the police after he strangled her.\n"
        "For further information contact the CSP team, Town Hall, csp@kestrelvale.gov.uk, tel 01632 960 330.\n"
        "Contact: Kestrel Vale CSP, www.kestrelvale.gov.uk/csp\n"
        "Published by the Kestrel Vale Domestic Abuse Partnership."
    )
    kept = emerging._without_furniture(brief)
    assert "haulage firm" in kept and "contacted the police" in kept
    assert not {"csp", "kestrelvale", "published", "01632"} & set(re.findall(r"\w+", kept.lower()))


def test_abbreviations_in_capitals_are_names_like_proper_nouns():
    """An organisation's or a process's abbreviation (CSP, SAB, ICB) is no topic a coordinator would name; the
    word "cab" of a lorry is."""
    texts = [
        "The CSP asked the SAB and the ICB to review how the lorry driver was seen in his cab at the depot.",
        "Records held by the CSP showed the cab of his lorry was where he made the calls.",
    ]
    names = emerging._proper_nouns(texts, emerging.Settings().proper_share)
    assert {"csp", "sab", "icb"} <= names
    assert not {"cab", "lorry", "depot"} & names


def test_a_group_whose_only_shared_words_are_everyday_english_is_no_topic():
    # three passages of the length the library's are (120 words or more) that share only "man", "told" and "day"
    # (an everyday word the group says far more often than English does, 1 in 100 words, would still count)
    group = [
        "The man told the housing officer that he had been sleeping on a friend's sofa since the day the "
        "tenancy ended, that the council had not answered his letters about the repairs, and that he wanted "
        "to be closer to his mother, who was unwell and lived on the other side of the city. The officer "
        "explained the allocation scheme, took copies of his identity documents and his bank statements, and "
        "agreed to write to the landlord about the deposit. She recorded that he was polite, that he had no "
        "debts apart from a phone contract, and that he would ring the office again once he knew whether the "
        "friend could keep him for a while longer until a flat was found.",
        "A man told the GP that day that his back pain was worse and that he could not rest at night. The "
        "practice booked him a physiotherapy appointment for the following month and gave him advice about "
        "exercise, and the receptionist noted that he seemed in good spirits when he left. His records showed "
        "an operation on his knee some years earlier, a prescription for painkillers that he rarely collected "
        "and two missed checks of his blood pressure. The doctor wrote to the hospital to ask whether a scan "
        "was needed, and suggested that he stop lifting heavy boxes at work until it was done.",
        "The day after the hearing the man told his probation officer that he had found work in a warehouse "
        "and would be starting on the night shift. His officer agreed to move their weekly meetings to the "
        "afternoon so that he could keep the job and still report, and rang the employer to confirm the "
        "hours. The plan was reviewed with her manager, who was content that the conditions of the licence "
        "could still be met, and a home visit was arranged for later that summer to see the new address "
        "and the room he rented from a cousin who worked at the same site.",
    ]
    labeller = emerging.Labeller(group + LIBRARY_REST, set(ENGLISH_STOP_WORDS), emerging.Settings(min_documents=1))
    assert labeller.terms_of(np.arange(len(group)), np.arange(len(group))) == []


def test_groups_are_one_topic_when_their_terms_and_their_passages_agree():
    """A brief's account of the case and its lessons can fall in two groups that share one topic word: that word,
    in most of one group's passages and rare in the library, makes them one topic when the passages agree too
    (in words or in meaning, see ``emerging._agreeing``); a shared word that is no topic term of either,
    two groups on different topics, or one word two topics share whose passages do not agree, do not."""
    settings = emerging.Settings()
    case = (["lorry", "haulage", "cab", "drivers"], ["lorri", "haulag", "cab"])
    lessons = (["employers", "away driving", "lorry", "voice"], ["employer"])
    steroids = (["steroids", "gym", "injecting"], ["steroid", "gym"])
    voice = (["voice", "classes"], [])
    agreeing = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=bool)
    assert emerging._merged([case, lessons, steroids], agreeing, settings) == [[0, 1], [2]]
    assert emerging._merged([lessons, voice, steroids], np.ones((3, 3), dtype=bool), settings) == [[0], [1], [2]]
    hoarding = [(["hoarding"], ["hoard"]), (["hoarding", "clutter"], ["hoard", "clutter"])]
    assert emerging._merged([case, *hoarding], np.ones((3, 3), dtype=bool), settings) == [[0], [1, 2]]
    taxis = (["taxi", "licensing", "cab"], ["taxi", "licens", "cab"])
    tattoos = (["tattoo", "studio", "licensing"], ["tattoo", "studio"])
    agreeing = np.eye(2, dtype=bool)  # a few tattoo passages say "licensing", no taxi passage "tattoo"; far in meaning
    assert emerging._merged([taxis, tattoos], agreeing, settings) == [[0], [1]]
    # "club" in most passages of both, each led by a word the other never says; short briefs on each agree in meaning
    golf = (["golf", "club", "clubhouse", "wrist"], ["golf", "club"])
    cricket = (["cricket", "club", "welfare officer", "pavilion"], ["cricket", "club"])
    assert emerging._merged([golf, cricket], np.ones((2, 2), dtype=bool), settings) == [[0], [1]]


def test_a_passage_speaks_of_a_topic_when_it_says_two_of_its_terms_one_a_leading_one():
    """Growing a topic by its terms: one word another topic also uses ("licensing" of taxis and of tattoo studios)
    or a name that holds it ("Chase Farm Hospital") does not make a passage one of the topic's."""
    passages = [
        "He drove a taxi at night and the licensing team renewed his licence.",
        "Environmental health officers licensing the tattoo studio saw nothing wrong.",
        "The taxi firm's booking app tracked every cab she took.",
        "She was seen by the nurse at Chase Farm Hospital.",
    ]
    labeller = emerging.Labeller(passages + LIBRARY_REST, set(ENGLISH_STOP_WORDS), emerging.Settings(min_documents=1))
    speaks, mentions = labeller.of_topic(["taxi", "licens", "cab"])
    assert speaks[: len(passages)].tolist() == [True, False, True, False]
    assert mentions[: len(passages)].tolist() == [True, True, True, False]


NARROWBOATS = Path(__file__).parent / "fixtures" / "narrowboats"


@pytest.fixture(scope="module")
def ingested_by_the_command_line(tmp_path_factory):
    """The real DHR fragments and six briefs on living aboard canal boats, ingested the documented way (the
    command line, each kind its own run), with nobody recomputing emerging themes afterwards."""
    data = tmp_path_factory.mktemp("narrowboats") / "data"
    for kind, paths in (
        ("executive summary", sorted(DHR.glob("*.txt"))),
        ("learning brief", sorted(NARROWBOATS.glob("brief-*.md"))),
    ):
        result = run(data, "indexing", "ingest", "--kind", kind, *map(str, paths), timeout=900)
        assert result.returncode == 0, result.stderr
    assert "emerging themes: 1 (looked for again across the library in " in result.stdout
    store = open_store(data / "dhr.sqlite")
    yield store
    store.close()


def test_a_topic_the_clustering_cut_in_three_is_one_emerging_theme_named_by_it(ingested_by_the_command_line):
    found = emerging.emerging(ingested_by_the_command_line, BOARD)  # as a board member sees it after the ingest
    assert len(found) == 1, [t["label"] for t in found]
    theme = found[0]
    assert set(theme["document_names"]) == {f"brief-{i}.md" for i in range(1, 7)}
    boats = set("boat boats boaters narrowboat narrowboats mooring moorings marina canal towpath".split())
    assert set(theme["label"].split(" / ")) <= boats, theme["label"]  # named by the topic, in every word
    assert not emerging.out_of_date(ingested_by_the_command_line)
    upgraded_from_the_release_before(ingested_by_the_command_line)
    # grouped the way an earlier release grouped (a contact line's "csp", one topic cut in two): looked for again
    assert emerging.out_of_date(ingested_by_the_command_line)


def upgraded_from_the_release_before(store) -> None:
    """The workspace as the release before left it (emerging themes stored, no library version recorded with
    them), then migrated."""
    with store.write("test") as tx:
        tx.db.execute("DELETE FROM settings WHERE key = ?", [emerging.COMPUTED_FOR_KEY])
        schema.m059_emerging_computed_for(tx.db)


def test_emerging_themes_are_out_of_date_until_recomputed_after_the_library_changes(tmp_path, embedder):
    store = open_store(tmp_path / "dhr.sqlite")
    assert not emerging.out_of_date(store)  # an empty library has nothing to look for
    library = Library(store, embedder)
    library.ingest_paths(sorted(NARROWBOATS.glob("brief-*.md"))[:1], viewer=COORD, kind="learning brief")
    assert emerging.out_of_date(store)  # never computed over a library that has a document
    emerging.compute(library, COORD)
    assert not emerging.out_of_date(store)
    upgraded_from_the_release_before(store)
    assert emerging.out_of_date(store)  # it found none, and cannot tell that from never looking: it is told to
    emerging.compute(library, COORD)
    assert not emerging.out_of_date(store)
    library.delete(COORD, library.list_documents(COORD)[0]["id"], why="added by mistake")
    assert emerging.out_of_date(store)


FARMS = Path(__file__).parent / "fixtures" / "farms"


def briefs_in_the_fragments_library(tmp_path, embedder, folder: Path) -> list[dict]:
    """The fragments as executive summaries and ``folder``'s briefs as learning briefs, emerging themes computed:
    what a board member is shown."""
    store = open_store(tmp_path / "dhr.sqlite")
    library = Library(store, embedder)
    library.ingest_paths(sorted(DHR.glob("*.txt")), viewer=COORD, access="public", kind="executive summary")
    library.ingest_paths(sorted(folder.glob("brief-*.md")), viewer=COORD, access="public", kind="learning brief")
    emerging.compute(library, COORD)
    found = emerging.emerging(store, BOARD)
    store.close()
    return found


def test_one_passage_briefs_headed_by_their_kind_are_named_by_their_topic_not_the_kind(tmp_path, embedder):
    """Six one-passage briefs on abuse in farming families, each headed "Learning brief: ...": the heading
    is in every passage of the group and in no other, yet the kind of a document is no topic."""
    found = briefs_in_the_fragments_library(tmp_path, embedder, FARMS)
    assert len(found) == 1, [t["label"] for t in found]
    assert set(found[0]["document_names"]) == {f"brief-{i}.md" for i in range(1, 7)}
    assert found[0]["label"].split(" / ")[0] in {"farm", "farms", "farming", "farmers"}, found[0]["label"]
    assert not {"learning", "brief"} & set(found[0]["terms"]), found[0]["terms"]



def test_what_a_topic_leaves_of_a_group_grows_into_a_seed_by_its_own_terms():
    """Briefs on motorcycles and on car repair garages share a group by meaning, where no word is in most passages;
    once motorcycles has taken its passages, the rest names garages and takes in the garage passage of another group.
    A group no topic touched, or a rest that shares one word only ("complaint"), is left as it is."""
    passages = [
        "He rode his motorbike past her house and kept his helmet on so nobody saw his face.",  # 0, taken
        "The motorcycle club members rode their motorbikes to the rally every summer.",  # 1, taken
        "He owned the garage and the mechanics there serviced cars and booked MOTs.",  # 2
        "She kept the accounts of the garage and the mechanic took the parts from her car.",  # 3
        "The garage ran into debt, and her husband the mechanic put the loans in her name.",  # 4
        "She was an apprentice mechanic at the garage her partner owned, and rented the flat above.",  # 5, elsewhere
        "The motorcycle training school kept her motorbike keys.",  # 6, taken
        "She wrote a complaint about the noise next door, then a second complaint about the bins.",  # 7
        "A complaint about damp in the flat was closed without a visit.",  # 8
        "Neighbours sent a complaint about shouting late at night.",  # 9
    ]
    filler = [f"The partnership met in week {i} to agree its priorities, budget and training plans." for i in range(40)]
    stop_words = set(ENGLISH_STOP_WORDS) | emerging.DOMAIN_STOP_WORDS
    labeller = emerging.Labeller(passages + filler, stop_words, emerging.Settings())
    documents = np.array([1, 2, 3, 3, 4, 5, 6, 7, 8, 9] + [100 + i % 4 for i in range(40)])
    taken = np.zeros(len(passages) + len(filler), dtype=bool)
    taken[[0, 1, 6]] = True
    mixed, elsewhere, complaints = np.array([0, 1, 2, 3, 4]), np.array([5, 10, 11]), np.array([6, 7, 8, 9])
    untouched = np.array([2, 3, 4])  # the same passages in a group no topic took part of
    rests = emerging._rests([mixed, elsewhere, complaints, untouched], taken, documents, labeller)
    assert [rest.tolist() for rest in rests] == [[2, 3, 4, 5]]


CHOIR = Path(__file__).parent / "fixtures" / "choir"


def test_one_passage_briefs_that_tell_their_case_in_most_of_their_words_are_one_emerging_theme(tmp_path, embedder):
    """Four one-passage briefs on coercive control, stalking and abuse by an adult son, where a choir is only where
    the victim went: meaning puts each with the library's passages on its abuse, yet the briefs share the choir's
    words ("choir", "rehearsals", "singing"), rare in the library and in English, and are one theme named by them."""
    found = briefs_in_the_fragments_library(tmp_path, embedder, CHOIR)
    assert len(found) == 1, [t["label"] for t in found]
    assert set(found[0]["document_names"]) == {f"brief-{i}.md" for i in range(1, 5)}
    assert found[0]["label"].split(" / ")[0] in {"choir", "rehearsals", "singing"}, found[0]["label"]


def test_a_paragraph_every_summary_repeats_seeds_no_topic_of_short_documents():
    """Short documents that share rare words seed a topic by them (``_word_led``), but not the sentencing paragraph
    every executive summary sets out in the same words: its outcome words are no topic, and what is left of it
    ("minimum term", "serve", "court") is a template. The briefs on a choir beside them do seed."""
    names = ["Anna", "Beth", "Carol", "Dawn"]
    sentencing = [
        f"In {2015 + i} the perpetrator pleaded guilty to the murder of {name} at the court and was sentenced to life "
        f"imprisonment, to serve a minimum term of {16 + i} years before he can be considered for release."
        for i, name in enumerate(names)
    ]
    choir = [
        "Anna sang in the church choir, and he waited in the car park until every rehearsal ended.",
        "The choirmaster saw that Beth's partner rang her during rehearsals, and she often left before the singing.",
        "Carol loved singing; he sat at the back of the hall at choir rehearsals and followed her home.",
        "Dawn stopped coming to rehearsals without a word, and the choir sent a card about her singing.",
    ]
    filler = [f"The partnership met in week {i} to agree its priorities, budget and training plans." for i in range(99)]
    stop_words = set(ENGLISH_STOP_WORDS) | emerging.DOMAIN_STOP_WORDS
    labeller = emerging.Labeller(sentencing + choir + filler, stop_words, emerging.Settings())
    documents = np.array([1, 2, 3, 4, 5, 6, 7, 8] + [100 + i % 4 for i in range(99)])  # four summaries, four briefs
    scattered = np.arange(len(documents))  # meaning put every passage in a group of its own
    seeds = emerging._word_led(labeller, scattered, np.ones(len(documents), dtype=bool), documents)
    assert seeds
    assert all(set(members.tolist()) == {4, 5, 6, 7} for members, _, _ in seeds)
    assert all(topic_words[0] in {"choir", "rehears", "sing"} for _, _, topic_words in seeds)
    together = np.zeros(len(documents), dtype=np.int64)  # meaning put the choir passages in one group: judged there
    assert not emerging._word_led(labeller, together, np.ones(len(documents), dtype=bool), documents)
