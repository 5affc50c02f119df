"""Recurring recommendations across reviews imported from spreadsheets, through the CLI as a
partnership would: the same lesson in other words is grouped, different lessons never are."""

from __future__ import annotations

import json

import pytest

from tests.conftest import TODAY, run
from tests.test_qa import held_review

PLANS = {
    "DHR-2021-01": [
        (
            "1",
            "GP practices should ask patients about domestic abuse routinely and record the answer.",
            "Adopt routine enquiry in every practice",
            "Integrated Care Board (GP services)",
            "complete",
        ),
        (
            "2",
            "Interpreters used in health appointments must never be family members or the partner of the patient.",
            "Update the interpreting policy",
            "Acute Hospital Trust",
            "complete",
        ),
        (
            "3",
            "Housing providers should offer a sanctuary scheme to victims who wish to stay in their home.",
            "Fund sanctuary measures",
            "Housing",
            "in progress",
        ),
    ],
    "DHR-2023-02": [
        (
            "1",
            "Primary care clinicians should routinely ask patients about domestic abuse and record what they say.",
            "Audit GP records for enquiry",
            "Integrated Care Board (GP services)",
            "not started",
        ),
        (
            "2",
            "Mental health services should train staff in recognising coercive control among their patients.",
            "Deliver coercive control training",
            "Mental Health Trust",
            "not started",
        ),
        (
            "3",
            "Children's services should ensure that social workers speak to each child on their own about what "
            "happens at home.",
            "Add seeing the child alone to the assessment template",
            "Children's Social Care",
            "not started",
        ),
    ],
    "DHR-2025-03": [
        (
            "4",
            "Agencies should always book a professional interpreter and never rely on a victim's partner or "
            "relatives to interpret.",
            "Remind staff of the interpreter booking line",
            "Adult Social Care",
            "not started",
        ),
        (
            "5",
            "Practitioners to see each child alone and hear directly from them about life in the household.",
            "Brief practitioners on hearing the child's voice",
            "Children's Social Care",
            "not started",
        ),
    ],
}


def _plan_csv(rows) -> str:
    lines = ["Rec no,Recommendation,Action,Lead agency,Status"]
    lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def test_recurring_recommendations_are_found_across_imported_plans(tmp_path):
    data = tmp_path / "data"
    reviews = {
        "format": "dhr-reviews",
        "version": 1,
        "reviews": [
            {
                "reference": ref,
                "pseudonym": f"P{i}",
                "csp": "Northvale",
                "notification_date": f"{ref[4:8]}-01-10",
                "decision": "hold",
                "stages": {"decision": f"{ref[4:8]}-02-01"},
            }
            for i, ref in enumerate(PLANS)
        ],
    }
    (tmp_path / "reviews.json").write_text(json.dumps(reviews))
    imported = run(data, "reviews", "import", str(tmp_path / "reviews.json"))
    assert imported.returncode == 0, imported.stderr
    for reference, rows in PLANS.items():
        path = tmp_path / f"{reference}.csv"
        path.write_text(_plan_csv(rows))
        result = run(data, "recommendations", "import", str(path), "--review", reference)
        assert result.returncode == 0, result.stdout + result.stderr
    result = run(data, "recommendations", "recurring", "--json")
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)
    assert all(g["reviews"] >= 2 for g in groups)
    as_sets = [{(r["review"], r["number"]) for r in g["recommendations"]} for g in groups]
    assert {("DHR-2021-01", "1"), ("DHR-2023-02", "1")} in as_sets  # routine enquiry by GPs
    assert {("DHR-2021-01", "2"), ("DHR-2025-03", "4")} in as_sets  # interpreters who are family
    merged = set().union(*as_sets)
    assert ("DHR-2021-01", "3") not in merged and ("DHR-2023-02", "2") not in merged  # different lessons
    gp = next(g for g in groups if ("DHR-2021-01", "1") in {(r["review"], r["number"]) for r in g["recommendations"]})
    assert (gp["first_year"], gp["latest_year"]) == (2021, 2023) and gp["complete"] == 1 and gp["actions"] == 2
    assert (gp["own_reviews"], gp["other_reports"]) == (2, 0)  # plans are this partnership's reviews
    printed = run(data, "recommendations", "recurring")
    assert f"{gp['label']}: 2 reviews of this partnership (DHR-2021-01, DHR-2023-02)" in printed.stdout


def test_the_ask_is_compared_without_its_addressee_and_with_practice_terms_written_out():
    from recommendations.recurring import ask

    assert ask("It is recommended that the ICB should ensure that every GP surgery adopts IRIS.") == (
        "every general practitioner surgery adopts identification and referral to improve safety."
    )
    assert ask("Police officers to check previous partners before grading the risk.") == (
        "check previous partners before grading the risk."
    )
    # a lead-in that would leave almost nothing was the ask itself
    assert ask("Agencies should train all staff.") == "Agencies should train all staff."
    # the assurance one body seeks from another is not the ask
    assert (
        ask("That the CSP seeks assurance from the housing providers that their staff are trained to respond to abuse.")
        == "their staff are trained to respond to abuse."
    )
    assert (
        ask(
            "Agencies should provide the Safeguarding Adults Board with assurance that carers' assessments are offered."
        )
        == "carers' assessments are offered."
    )
    # who is asked, written as a heading before a colon; a "to" in a later sentence is no modal
    assert ask(
        "Substance misuse treatment providers: Routinely screen clients for domestic abuse. Refer victims to advocacy."
    ) == ("Routinely screen clients for domestic violence. Refer victims to advocacy.")


@pytest.mark.parametrize(
    "text",
    [
        "Refresh MARAC referral criteria: professional judgement and potential escalation as routes alongside risk.",
        "Review the training on stalking: at least once a year, for every front-line officer.",
    ],
)
def test_a_heading_that_asks_is_the_ask_not_who_is_asked(text):
    """The s14 walk: a heading before a colon that opens with an ask verb was dropped as if it named an addressee,
    leaving the ask without what it asks be done."""
    from recommendations.ask_span import asked_for
    from recommendations.asks import asked

    assert asked(text) == asked_for(text) == text


def test_who_is_asked_is_not_what_they_are_asked_to_do():
    """A provider named as the addressee ("housing providers") asks no one to provide anything."""
    from recommendations.lessons import actions_asked

    assert actions_asked("Housing providers should train tenancy staff.") == {"train"}
    assert actions_asked("Commissioners should provide an advocate for every victim.") == {"provide"}


def test_grouping_reads_each_recommendation_s_ask_once(embedder):
    """The grouper read each text's ask twice: once for its vectors, once for its words and kinds of action. It reads
    it once and remembers it for its words, for its kinds of action (read from its verb on) and for what a thing it
    asks for is about."""
    from recommendations.asks import asked
    from recommendations.recurring import Grouper

    texts = [
        "It is recommended that the ICB should ensure that every GP surgery adopts IRIS.",
        "That the CSP seeks assurance from the housing providers that their staff are trained to respond to abuse.",
        "Police officers to check previous partners before grading the risk.",
    ]
    grouper = Grouper()
    asked.cache_clear()
    grouper.groups(texts, grouper.vectors(texts, embedder.encode))
    assert (asked.cache_info().misses, asked.cache_info().hits) == (len(texts), 3 * len(texts))


def test_one_partnerships_requests_for_assurance_are_not_one_lesson_because_they_are_worded_alike(embedder):
    """Real recommendations often open with the partnership and the assurance it seeks: as whole texts such
    asks are closer than many true pairs (0.72 on the real held-out set). The asks must be alike too."""
    from recommendations.recurring import Grouper

    texts = [
        "That the Northvale Community Safety Partnership seeks assurance from the housing providers of Northvale "
        "that their tenancy staff are trained to respond to domestic abuse with confidence.",
        "That the Northvale Community Safety Partnership seeks assurance from Northvale Police that incidents "
        "graded as standard risk are passed to the victim support service.",
        "That the Northvale Community Safety Partnership writes to the Home Office asking for perpetrators to be "
        "interviewed outside the review process.",
    ]
    grouper = Grouper()
    vectors = grouper.vectors(texts, embedder.encode)
    whole = embedder.encode(texts)
    assert (whole @ whole.T)[0, 1] >= 0.73  # alike as whole texts
    assert grouper.closeness(vectors, vectors)[0, 1] < 0.60  # not as asks
    assert grouper.groups(texts, vectors) == []


REPORTS = {  # (access, linked review, recommendation read from the report)
    "northvale-2019.md": (
        "public",
        None,
        "GP practices should ask patients about domestic abuse routinely and record the answer in the notes.",
    ),
    "southvale-2022.md": (
        "public",
        None,
        "Primary care clinicians should routinely ask patients about domestic abuse and record what they say.",
    ),
    "eastvale-2023.md": (
        "partners",
        None,
        "GP surgeries should ask every patient about domestic abuse routinely and record the answer.",
    ),
    "panel-minutes.md": (
        "confidential",
        "DHR-2026-07",
        "GP practices at Zebrafinch Lane surgery should ask "
        "patients about domestic abuse routinely and record the answer.",
    ),
}


def test_recurring_lessons_include_reports_and_are_built_only_from_what_the_viewer_may_read(
    store, embedder, people, coordinator, new_review
):
    from indexing.library import Library
    from recommendations.recurring import recurring, said

    new_review("DHR-2026-07", chair="chair")
    library = Library(store, embedder)
    for name, (access, review, text) in REPORTS.items():
        body = f"# Review report\n\nThe panel met.\n\n## Recommendations\n\n1. {text}\n"
        library.ingest(body.encode(), name, viewer=coordinator, kind="overview report", access=access, review=review)

    def sources(viewer) -> list[set]:
        return [
            {r.get("review") or r.get("document") for r in g["recommendations"]}
            for g in recurring(store, viewer, embedder)
        ]

    assert {"northvale-2019.md", "southvale-2022.md", "eastvale-2023.md", "panel-minutes.md"} in sources(coordinator)
    [counted] = [g for g in recurring(store, coordinator, embedder) if len(g["recommendations"]) == 4]
    # a report of this partnership's review is its review; the three linked to none are reports from elsewhere
    assert {k: counted[k] for k in ("reviews", "own_reviews", "other_reports")} == {
        "reviews": 4,
        "own_reviews": 1,
        "other_reports": 3,
    }
    assert said(counted) == "1 review of this partnership and 3 reports from other partnerships or national bodies"
    for role in ("partner", "board"):
        found = recurring(store, people[role], embedder)
        assert [{r["document"] for r in g["recommendations"]} for g in found] == [
            {"northvale-2019.md", "southvale-2022.md"}
        ]
        printed = json.dumps(found)
        assert "Zebrafinch" not in printed and "eastvale" not in printed  # labels, counts and examples alike
        label = found[0]["label"]
        assert 4 <= len(label.split()) <= 15 and "Zebrafinch" not in label
        assert found[0]["reviews"] == 2
        assert said(found[0]) == "2 reports from other partnerships or national bodies"


def test_of_two_recommendations_the_label_is_the_shorter_sentence_not_a_rounding_error():
    import numpy as np

    from recommendations.recurring import lesson_label

    texts = [
        "The police will link repeat reports from the same victim so that a course of conduct is recognised and "
        "investigated as stalking. Call handlers will use stalking screening questions.",
        "Police to link repeat reports from the same victim so that stalking is recognised.",
    ]
    vectors = np.array([[0.6, 0.8, 0.0], [0.6, 0.0, 0.8]], dtype=np.float32)  # equally typical
    assert lesson_label(texts, vectors) == "Police should link repeat reports from the same victim."
    assert lesson_label(texts[::-1], vectors) == lesson_label(texts, vectors)


def _publish(store, coordinator, reference: str) -> None:
    """Through the QA log and the stage list, as the coordinator does: submitted, approved, published."""
    from reviews import qa, register

    register.complete_stage(
        store, coordinator, reference, stage="qa_submission", completed_on="2025-07-25", today=TODAY
    )
    [first] = qa.submissions(store, coordinator, reference)
    qa.record_letter(
        store, coordinator, reference, submission_id=first.id, outcome="approved", letter_date="2025-09-20"
    )
    register.complete_stage(store, coordinator, reference, stage="approved", completed_on="2025-10-25", today=TODAY)
    register.complete_stage(store, coordinator, reference, stage="published", completed_on="2025-11-01", today=TODAY)


def test_a_reports_recommendations_name_its_review_where_the_viewer_may_know_it_else_its_title_never_its_file(
    store, embedder, people, coordinator
):
    """Board members and partners read a public report of an unpublished review by its title (the review's
    reference is case information); once the review is published they see its reference, as on its plan."""
    from indexing.library import Library
    from recommendations.recurring import recurring

    held_review(store, coordinator, "DHR-2025-04")
    library = Library(store, embedder)
    for name, title, review in (
        ("northvale-2019.md", "Northvale overview report", "DHR-2025-04"),
        ("southvale-2022.md", "Southvale executive summary", None),
    ):
        body = f"# {title}\n\nThe panel met.\n\n## Recommendations\n\n1. {REPORTS[name][2]}\n"
        meta = {"kind": "overview report", "access": "public", "review": review, "title": title}
        library.ingest(body.encode(), name, viewer=coordinator, **meta)

    def shown(viewer) -> tuple[list, list]:
        [group] = recurring(store, viewer, embedder)
        return sorted(r["shown"] for r in group["recommendations"]), group["review_references"]

    titles = ["Northvale overview report", "Southvale executive summary"]
    for role in ("board", "partner"):
        assert shown(people[role]) == (titles, titles)
    with_reference = ["DHR-2025-04", "Southvale executive summary"]
    assert shown(coordinator) == (with_reference, with_reference)
    assert shown(people["chair"]) == (with_reference, with_reference)
    assert shown(people["chair2"]) == (titles, titles)  # another review's chair is not told which review it is
    _publish(store, coordinator, "DHR-2025-04")
    for role in ("board", "partner"):
        assert shown(people[role]) == (with_reference, with_reference)


def test_a_lesson_says_its_actions_are_not_shown_to_whoever_may_not_read_its_unpublished_reviews_plan(
    store, embedder, people, coordinator
):
    """A public report of an unpublished review whose plan has an action: those who read the plan (the coordinator,
    the review's chair) are told how far its actions are; everyone else, who reads only the report, that they are not
    shown because the review is not published, never that there are none; once it is published, all are told."""
    from indexing.library import Library
    from recommendations import plan
    from recommendations.recurring import actions_said, recurring

    held_review(store, coordinator, "DHR-2025-04")
    text = REPORTS["northvale-2019.md"][2]
    rec = plan.add_recommendation(store, coordinator, "DHR-2025-04", number="1", text=text, scope="CSP")
    plan.add_action(
        store, coordinator, "DHR-2025-04", recommendation_id=rec, description="Audit GP records", owner_agency="Police"
    )
    library = Library(store, embedder)
    for name, review in (("northvale-2019.md", "DHR-2025-04"), ("southvale-2022.md", None)):
        body = f"# Review report\n\nThe panel met.\n\n## Recommendations\n\n1. {REPORTS[name][2]}\n"
        library.ingest(body.encode(), name, viewer=coordinator, kind="overview report", access="public", review=review)

    def told(viewer) -> str:
        [group] = recurring(store, viewer, embedder)
        return actions_said(group)

    progress = "0 of 1 action(s) complete, 1 not started"
    hidden = "actions not shown: the review is not published"
    # another review's chair, and an agency lead even of the agency that owns the action, read the report only
    expected = {"coord": progress, "chair": progress} | dict.fromkeys(
        ("chair2", "police.lead", "partner", "board"), hidden
    )
    assert {role: told(people[role]) for role in expected} == expected
    _publish(store, coordinator, "DHR-2025-04")
    assert {role: told(people[role]) for role in expected} == dict.fromkeys(expected, progress)


def test_a_reports_recommendation_added_to_its_plan_stays_in_its_lesson_read_with_the_reports_addressee(
    store, embedder, coordinator
):
    """A report names whom it asks in a column ("Addressed to"), and here that is all that says the ask is health
    staff's routine enquiry; once the plan holds the same recommendation it is listed once, as the plan's (which names
    no addressee), and is still read with the report's: it stays in the lesson it was in (the s13 walk: an imported
    plan's recommendation 4 left the routine enquiry group its report's same text was in)."""
    from indexing.library import Library
    from recommendations import plan
    from recommendations.recurring import recurring

    held_review(store, coordinator, "DHR-2025-04")
    text = "Introduce routine enquiry about domestic abuse in the frailty and falls clinic."
    library = Library(store, embedder)
    report = (
        "# Overview report\n\nThe panel met.\n\n## Recommendations\n\n| No. | Recommendation | Addressed to |\n"
        f"|---|---|---|\n| 4 | {text} | Northvale Hospital NHS Foundation Trust |\n"
    )
    library.ingest(report.encode(), "report.md", viewer=coordinator, kind="overview report", review="DHR-2025-04")
    other = f"# Review report\n\nThe panel met.\n\n## Recommendations\n\n1. {REPORTS['southvale-2022.md'][2]}\n"
    library.ingest(other.encode(), "southvale-2022.md", viewer=coordinator, kind="overview report", access="public")

    def grouped() -> list[tuple]:
        [group] = recurring(store, coordinator, embedder)
        return sorted((r.get("review") or r["document"], r["addressee"]) for r in group["recommendations"])

    assert grouped() == [
        ("report.md", "Northvale Hospital NHS Foundation Trust"),
        ("southvale-2022.md", None),
    ]
    plan.add_recommendation(store, coordinator, "DHR-2025-04", number="4", text=text, scope="single-agency")
    assert grouped() == [("DHR-2025-04", "Northvale Hospital NHS Foundation Trust"), ("southvale-2022.md", None)]


def test_a_lessons_actions_are_said_as_what_the_viewer_may_read_of_them():
    from recommendations.recurring import actions_said

    group = {"actions": 0, "complete": 0, "not_started": 0, "plans_not_shown": 0}
    assert actions_said(group) == "no actions recorded"  # reports from elsewhere, plans with no action
    assert actions_said(group | {"plans_not_shown": 2}) == "actions not shown: 2 of the reviews are not published"
    assert (
        actions_said(group | {"actions": 2, "complete": 1, "plans_not_shown": 1})
        == "1 of 2 action(s) complete, 0 not started; actions not shown for 1 review not yet published"
    )


def test_the_library_search_and_themes_name_a_documents_review_only_where_its_plan_would(
    store, embedder, people, coordinator
):
    """A public report of an unpublished review is listed, found and shown under its themes without the review's
    reference for board members, partners and other reviews' chairs (the same rule as its recommendations);
    the coordinator and its chair see it, and everyone once the review is published."""
    from indexing.library import Library
    from indexing.search import Filters, search
    from indexing.theme_figures import passages_for

    held_review(store, coordinator, "DHR-2025-04")
    library = Library(store, embedder)
    body = "# Northvale overview report\n\nShe was isolated by his coercive and controlling behaviour.\n"
    meta = {"kind": "overview report", "access": "public", "review": "DHR-2025-04", "title": "Northvale"}
    library.ingest(body.encode(), "northvale.md", viewer=coordinator, **meta)

    def references(viewer) -> set:
        listed = {d["review"] for d in library.list_documents(viewer)}
        found = {hit.review for hit in search(library, viewer, "coercive control", mode="bm25")}
        by_reference = search(library, viewer, "coercive control", mode="bm25", filters=Filters(review="DHR-2025-04"))
        assert bool(by_reference) == (None not in found)  # a filter by the reference answers only who may know it
        themed = {p["review"] for p in passages_for(store, viewer, "coercive_control")}
        assert found and themed
        return listed | found | themed

    hidden = ("board", "partner", "chair2")
    for role in hidden:
        assert references(people[role]) == {None}
    for viewer in (coordinator, people["chair"]):
        assert references(viewer) == {"DHR-2025-04"}
    _publish(store, coordinator, "DHR-2025-04")
    for role in hidden:
        assert references(people[role]) == {"DHR-2025-04"}


def test_a_lesson_is_addressed_once_to_each_agency_its_specific_service_kept_in_brackets_once():
    from recommendations.recurring import addressed_to

    assert addressed_to(["Integrated Care Board", "Integrated Care Board (GP services)", "Police"]) == [
        "Integrated Care Board (GP services)",
        "Police",
    ]
    # the service is named once however often it recurs, in any case or spacing; two services share one bracket
    assert addressed_to(
        ["Integrated  Care Board (GP services)", "integrated care board (gp services)", "Integrated Care Board"]
    ) == ["Integrated Care Board (GP services)"]
    assert addressed_to(["Health Board (mental health)", "Health Board (GP services)"]) == [
        "Health Board (mental health, GP services)"
    ]
    # different agencies stay apart, and an agency named alone stays as written
    assert addressed_to(["Probation Service", "Police"]) == ["Probation Service", "Police"]
    assert addressed_to([]) == []


def test_the_themes_page_says_whose_reviews_and_reports_made_each_recurring_lesson(
    store, embedder, coordinator, new_review, tmp_path, monkeypatch
):
    """The Themes page's recurring lessons count as the National page does: this partnership's review (its plan) and
    two reports from elsewhere asking for one lesson are said as such, never "3 reviews or reports"."""
    from tests.app.conftest import open_signed_in
    from tests.test_national_recommendations import _library, own_review_asks_the_home_office

    own_review_asks_the_home_office(store, coordinator, new_review)
    _library(store, embedder, coordinator)
    store.close()
    at = open_signed_in(tmp_path, monkeypatch, coordinator, "pages/themes.py")
    assert not at.exception, at.exception
    made = "· made by 1 review of this partnership and 2 reports from other partnerships or national bodies, 2018–2025"
    assert any(made in e.label for e in at.expander), [e.label for e in at.expander]


def test_asks_that_are_near_paraphrases_are_alike_though_case_facts_pull_their_whole_texts_apart():
    """The second route to a pair that needs no known lesson (``Grouper.alike``): asks at 0.78 with whole texts at 0.69
    (a chair's case facts around the ask) are alike; the lower cosine alone (0.69) was under the 0.73 every other pair
    needs. Asks at 0.76 whose whole texts reach only 0.59, and asks at 0.69, are not (different lessons on dev)."""
    import numpy as np

    from recommendations.recurring import Grouper

    whole = np.array([0.69, 0.59, 0.69, 0.80, 0.74])
    asks = np.array([0.78, 0.76, 0.69, 0.74, 0.73])
    assert Grouper().alike(whole, asks).tolist() == [True, False, False, True, True]
    assert Grouper().alike(whole, None).tolist() == [False, False, False, True, True]  # asks not compared
