"""The shared repository on the pages (issue #24): the coordinator publishes from the Library page and
sees what is shared; a partner chooses to search every partnership and sees whose each hit is."""

from __future__ import annotations

import re

from indexing.repository import schema
from tests.app.test_pages import texts


def series_drawn(at) -> set[str]:
    """The series the "Local and national" chart draws (its colours, in its legend), as the browser gets them."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    found = set()
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frame = convert_arrow_bytes_to_pandas_df(dataset.data.data)
            if "share" in frame.columns:
                found |= set(frame["series"] if "series" in frame.columns else frame["scope"])
    return found


def test_publish_from_the_library_page_then_search_every_partnership(app, repository_url, monkeypatch):
    schema.add_partnership("Northvale CSP", "northvale_pages", url=repository_url)
    monkeypatch.setenv("DHR_REPOSITORY_URL", repository_url.replace("postgres:@", "northvale_pages:@", 1))

    at = app("coordinator", "pages/library.py")
    assert "What is shared** as Northvale CSP: 0 document(s)" in texts(at)
    next(b for b in at.button if b.label == "Publish to the shared repository").click().run()
    assert not at.exception, at.exception
    report = at.text[0].value
    assert report.startswith("Published as Northvale CSP:") and "documents: 0 added" not in report
    at.run()
    assert "What is shared** as Northvale CSP: 0 document(s)" not in texts(at)
    shared = next(t for t in texts(at).split("\n") if "What is shared" in t)
    assert re.search(r"last published \d{1,2} \w+ 20\d\d, \d\d:\d\d UTC\.", shared), shared  # not ISO 8601

    at = app("partner", "pages/search.py")
    next(r for r in at.radio if r.label == "Search in").set_value("national")
    at.text_input[0].input("GPs missing coercive control")
    next(b for b in at.button if b.label == "Search").click().run()
    assert not at.exception, at.exception
    assert "Shared by Northvale CSP" in texts(at)
    assert "Home Office QA panel letter" not in texts(at)


def test_the_themes_page_offers_the_search_scopes_only_with_a_repository(app, repository_url, monkeypatch):
    monkeypatch.delenv("DHR_REPOSITORY_URL", raising=False)
    at = app("partner", "pages/themes.py")
    assert not at.exception, at.exception
    assert not [r for r in at.radio if r.label == "Figures for"]
    assert "DHR_REPOSITORY_URL" not in texts(at)  # a setting for the coordinator, not for partners
    assert "set DHR_REPOSITORY_URL to the shared repository" in texts(app("coordinator", "pages/themes.py"))
    # the demo's briefs linked to no review are other partnerships' (document_meta.OWN_DOCUMENT): a series apart
    assert series_drawn(at) == {
        "This partnership's documents",
        "Other partnerships' documents in the library",
        "National analyses in the library",
    }

    monkeypatch.setenv("DHR_REPOSITORY_URL", repository_url)
    at = app("partner", "pages/themes.py")
    scope = next(r for r in at.radio if r.label == "Figures for")
    assert scope.options == ["This partnership", "Every partnership (shared repository)", "Both"]
    scope.set_value("national").run()
    assert not at.exception, at.exception
    scope.set_value("all").run()
    assert series_drawn(at) == {"This partnership's documents"}  # words, not the field's "local"
    assert not at.warning  # the repository was read (nothing published to it yet: no national figures)
