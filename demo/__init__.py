"""The fictional demo workspace, built on first start when the data directory is empty.

Every person, place and review here is invented. Dates are set relative to the day the
workspace is built, so each review shows the situation it was written to show.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from core import accounts, agencies, workspace
from core.accounts import DEMO_PASSWORD, Viewer, is_demo_workspace
from core.agencies import DEFAULT_AGENCIES
from core.db import Store
from demo.plans import build_demo_plans
from reviews import rules, transfer

DEMO_NOTICE = "Demo workspace: every review, person and agency officer here is fictional."
CSP = "Northvale Community Safety Partnership (fictional)"
AREA = "Northvale"
DEMO_USERS = (
    {"username": "coordinator", "role": "coordinator", "display_name": "Sam Okafor"},
    {"username": "chair", "role": "chair", "display_name": "Dr Morgan Ellis"},
    {"username": "chair2", "role": "chair", "display_name": "Priya Castell"},
    {"username": "agency.lead", "role": "agency_lead", "display_name": "Insp. Lee Hartley", "agency": "Police"},
    {"username": "partner", "role": "partner", "display_name": "Alex Rowan"},
    {"username": "board", "role": "board", "display_name": "Cllr Jamie Fenwick"},
)
SYSTEM = Viewer("system:demo", "coordinator", "Demo builder")
DEMO_CONTACTS = {"Police": "DS Ruth Keane", "Housing": "Tom Adeyemi", "Mental Health Trust": "Dr Sian Powell"}


def is_demo(store: Store) -> bool:
    return is_demo_workspace(store.read())


def _hold_stages(today: date, start_days_ago: int, gaps: list[int]) -> dict[str, str]:
    """Stage dates for a held review: notification, then each later stage ``gap`` days after the last."""
    keys = [
        "notification",
        "decision",
        "home_office_notified",
        "chair_appointed",
        "terms_of_reference",
        "agency_returns",
        "family_engagement",
        "draft_report",
        "panel_signoff",
        "csp_signoff",
        "qa_submission",
        "qa_feedback",
        "approved",
        "published",
        "monitoring",
    ]
    day = today - timedelta(days=start_days_ago)
    stages = {"notification": day.isoformat()}
    for key, gap in zip(keys[1:], gaps, strict=False):  # as many stages as gaps
        day += timedelta(days=gap)
        stages[key] = day.isoformat()
    return stages


def _review(reference: str, pseudonym: str, stages: dict[str, str], **extra) -> dict:
    notified = date.fromisoformat(stages["notification"])
    return {
        "reference": reference,
        "pseudonym": pseudonym,
        "csp": CSP,
        "review_type": extra.pop("review_type", "DHR"),
        "death_date": (notified - timedelta(days=6)).isoformat(),
        "notification_date": notified.isoformat(),
        "decision": extra.pop("decision", "hold" if "decision" in stages else "pending"),
        "rule_set": rules.DEFAULT_RULE_SET,
        "stages": stages,
        **extra,
    }


def _panel(*members: tuple[str, str, str]) -> list[dict]:
    return [{"name": n, "agency": a, "role": r} for n, a, r in members]


def demo_document(today: date) -> dict:
    """The demo reviews as an import document (see reviews.transfer)."""
    ago = lambda days: (today - timedelta(days=days)).isoformat()  # noqa: E731
    core_agencies = [
        "Police",
        "Integrated Care Board (GP services)",
        "Mental Health Trust",
        "Adult Social Care",
        "Housing",
    ]
    panel = _panel(
        ("D/Supt Carys Vaughan", "Police", "Review panel member"),
        ("Dr Owen Marsh", "Integrated Care Board (GP services)", "Designated safeguarding GP"),
        ("Ruth Adeyemi", "Domestic Abuse Service", "Specialist domestic abuse adviser"),
        ("Tom Kettering", "Adult Social Care", "Head of safeguarding"),
    )
    reviews = [
        _review(
            "DHR-2026-07",
            "Leah",
            {"notification": ago(40)},
            notes="Notified by the police after a death at home. Scoping information requested from agencies.",
            agencies=["Police", "Ambulance Service"],
            confidential_register=[{"category": "victim", "name": "Hannah Brightwell", "notes": "fictional"}],
        ),
        _review(
            "DHR-2026-08",
            "Ezra",
            {"notification": ago(20)},
            review_type="DARDR",
            notes="Notified by the coroner's officer; decision meeting booked.",
            agencies=["Police", "Acute Hospital Trust"],
        ),
        _review(
            "DHR-2025-11",
            "Rose",
            _hold_stages(today, 210, [25, 4, 12, 20]),
            chair="chair",
            notes="Perpetrator charged with murder; trial listed at the Crown Court.",
            agencies=core_agencies,
            panel=panel,
            pauses=[
                {
                    "reason": "criminal_trial",
                    "details": "Crown Court trial; CPS asked that witnesses are not approached",
                    "start": ago(130),
                    "end": None,
                    "agreed_with_home_office": True,
                }
            ],
            confidential_register=[
                {"category": "victim", "name": "Margaret Olsen", "notes": "fictional"},
                {"category": "perpetrator", "name": "Darren Olsen", "notes": "fictional"},
            ],
        ),
        _review(
            "DHR-2026-02",
            "Maya",
            _hold_stages(today, 130, [20, 3, 10, 15]),
            chair="chair",
            notes="Agency returns requested; two are late.",
            agencies=core_agencies,
            panel=panel,
            agency_returns=[
                {
                    "agency": "Police",
                    "kind": "IMR",
                    "requested": ago(80),
                    "due": None,
                    "received": ago(55),
                    "chases": [],
                },
                {
                    "agency": "Mental Health Trust",
                    "kind": "IMR",
                    "requested": ago(80),
                    "due": None,
                    "received": None,
                    "chases": [ago(45), ago(30)],
                },
                {
                    "agency": "Integrated Care Board (GP services)",
                    "kind": "chronology",
                    "requested": ago(80),
                    "due": None,
                    "received": None,
                    "chases": [ago(40)],
                },
                {
                    "agency": "Housing",
                    "kind": "chronology",
                    "requested": ago(15),
                    "due": None,
                    "received": None,
                    "chases": [],
                },
            ],
            confidential_register=[
                {"category": "victim", "name": "Anika Sørensen", "notes": "fictional"},
                {"category": "perpetrator", "name": "Gareth Pryce", "notes": "fictional"},
                {"category": "child", "name": "Lily Pryce", "notes": "fictional"},
            ],
        ),
        _review(
            "DHR-2025-04",
            "Joan",
            _hold_stages(today, 420, [24, 5, 14, 21, 70, 40, 60, 30, 21, 14, 50]),
            chair="chair",
            review_type="joint DHR/SAR",
            notes="Home Office QA panel asked for resubmission; chair revising the analysis of coercive control.",
            agencies=core_agencies + ["Substance Misuse Service"],
            panel=panel,
            pauses=[
                {
                    "reason": "inquest",
                    "details": "Inquest opened and adjourned",
                    "start": ago(330),
                    "end": ago(280),
                    "agreed_with_home_office": True,
                }
            ],
            agency_returns=[
                {
                    "agency": "Police",
                    "kind": "IMR",
                    "requested": ago(350),
                    "due": None,
                    "received": ago(325),
                    "chases": [],
                },
                {
                    "agency": "Substance Misuse Service",
                    "kind": "IMR",
                    "requested": ago(350),
                    "due": None,
                    "received": ago(310),
                    "chases": [ago(318)],
                },
            ],
            confidential_register=[{"category": "victim", "name": "Josephine Amadi", "notes": "fictional"}],
        ),
        _review(
            "DHR-2024-09",
            "Alex",
            _hold_stages(today, 820, [21, 3, 10, 20, 80, 45, 70, 25, 20, 15, 60, 40, 35, 10]),
            chair="chair2",
            notes="Published on the CSP website; action plan monitored quarterly by the board.",
            agencies=core_agencies + ["Probation Service"],
            panel=panel[:3],
            confidential_register=[{"category": "victim", "name": "Daniel Achterberg", "notes": "fictional"}],
        ),
        _review(
            "DHR-2026-05",
            "Peter",
            {"notification": ago(75), "decision": ago(50), "home_office_notified": ago(46), "closed": ago(40)},
            decision="not_to_hold",
            decision_reasons="Death by natural causes confirmed by post-mortem; "
            "no indication of domestic abuse in any agency record. "
            "Home Office informed and agreed.",
            agencies=["Police"],
        ),
    ]
    return {
        "format": "dhr-reviews",
        "version": transfer.FORMAT_VERSION,
        "agencies": list(DEFAULT_AGENCIES),
        "reviews": reviews,
    }


def build_demo_workspace(store: Store, today: date | None = None) -> None:
    """Fill an empty workspace with the fictional demo (users, agencies, reviews)."""
    today = today or date.today()
    rules.install_bundled_rule_sets(store)
    document = demo_document(today)
    with store.write(SYSTEM.username) as tx:
        tx.insert("settings", {"key": "demo", "value": "1"})  # first: its published password is allowed here
        for user in DEMO_USERS:
            accounts.add_user(store, SYSTEM, password=DEMO_PASSWORD, **user)
        transfer.import_reviews(store, SYSTEM, json.dumps(document), today=today, add_agencies=True)
        for user in DEMO_USERS:  # fictional addresses on a reserved domain: nothing is ever delivered
            accounts.set_email(store, SYSTEM, username=user["username"], email=f"{user['username']}@northvale.example")
        for agency, contact in DEMO_CONTACTS.items():
            agencies.set_contact(
                store,
                SYSTEM,
                name=agency,
                contact_name=contact,
                contact_email=f"dhr.returns@{agency.split()[0].lower()}.example",
            )
        # named as the coordinator names a real partnership (Administration → Workspace): its Word documents say so
        workspace.save(store, SYSTEM, partnership=CSP, area=AREA)
        build_demo_plans(store, today)
