"""How long moving between pages and saving take in the running app, as each role, in headless Chromium.

Starts the app on a fresh demo workspace (or uses --url), signs in as each demo role, opens every page
in that role's navigation --rounds times by clicking its link, and prints p50/p95 per page: from the
click until the new page is drawn and Streamlit has finished running it. Also times opening a review
from the register (the first time and again), saving a progress note on an action, and a partner's
searches (the first one of a session, which may wait for the embedding model, and later ones).

    python benchmarks/bench_pages.py [--rounds 5] [--json results-pages.json] [--url http://127.0.0.1:8501]

Run it on a quiet machine: figures from a machine doing other work mean little.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from demo import DEMO_PASSWORD  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, _serve, _stop  # noqa: E402

ROLES = ("coordinator", "chair", "agency.lead", "partner", "board")
SEARCHES = ("older people abused by their family", "GPs missing coercive control", "housing and refuges")
WATCH = """() => {
    window.benchRan = false;
    if (window.benchWatch) window.benchWatch.disconnect();
    window.benchWatch = new MutationObserver(() => {
        const app = document.querySelector('[data-testid="stApp"]');
        if (app && app.getAttribute("data-test-script-state") !== "notRunning") window.benchRan = true;
    });
    window.benchWatch.observe(document.body, {subtree: true, childList: true, attributes: true});
}"""
# the script ran and finished (Streamlit's own run state on its root element), nothing is left stale,
# and for a change of page, the new page's heading (or none) replaced the old one
DONE = """([previous, text]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    const heading = main.querySelector("h1");
    const changed = previous !== null && (heading ? heading.innerText : "") !== previous;
    // a quick run may start and finish between two renders, never showing "running": a new heading
    // says it ran as well
    return (window.benchRan || changed) && app.getAttribute("data-test-script-state") === "notRunning"
        && !document.querySelector('[data-stale="true"]')
        && (previous === null || changed)
        && (text === null || main.innerText.includes(text));
}"""


def _heading(page) -> str:
    found = page.locator('[data-testid="stMain"] h1')
    return found.first.inner_text() if found.count() else ""


def _timed(page, act, *, new_page: bool = True, shows: str | None = None) -> float:
    """Seconds from ``act`` (a click, a key) until the app has run and drawn what it leads to: a new
    page, or with ``new_page=False`` the same page showing the text ``shows``."""
    previous = _heading(page) if new_page else None
    page.evaluate(WATCH)
    start = time.perf_counter()
    act()
    page.wait_for_function(DONE, arg=[previous, shows], polling=20, timeout=120_000)
    return time.perf_counter() - start


def _timed_click(page, locator) -> float:
    return _timed(page, locator.click)


def _navigation(page) -> dict:
    """The sidebar's links by the page names they show (without their icons' ligature text)."""
    links = page.get_by_test_id("stSidebarNavLink")
    found = {}
    for i in range(links.count()):
        name = links.nth(i).inner_text().strip().splitlines()[-1]
        found[name] = page.locator(f'[data-testid="stSidebarNavLink"][href="{links.nth(i).get_attribute("href")}"]')
    return found


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(base: str, rounds: int, roles: tuple[str, ...] = ROLES) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for role in roles:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(180_000)
            page.goto(base)
            page.get_by_role("button", name="Sign in").wait_for()
            page.get_by_label("User name").fill(role)
            page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
            seconds = _timed(page, page.get_by_role("button", name="Sign in").click)
            timings.setdefault(f"{role}: sign in to home page", []).append(seconds)
            for _ in range(rounds):
                for name, link in _navigation(page).items():
                    if urlparse(page.url).path.rstrip("/") == urlparse(link.get_attribute("href")).path.rstrip("/"):
                        continue  # the page already open: nothing would change
                    try:
                        timings.setdefault(f"{role}: {name}", []).append(_timed_click(page, link))
                    except PlaywrightTimeout:
                        print(f"{role}: {name} did not finish within two minutes", file=sys.stderr)
            if role == "partner":  # the first search of a session, then another
                _timed_click(page, _navigation(page)["Search lessons"])
                for attempt, question in enumerate(SEARCHES):
                    page.get_by_label("Question or keywords", exact=True).fill(question)
                    button = page.get_by_role("button", name="Search")
                    seconds = _timed(page, button.click, new_page=False, shows=f"Results for “{question}”")
                    label = "partner: search" + (" (first of the session)" if attempt == 0 else "")
                    timings.setdefault(label, []).append(seconds)
            if role == "coordinator":
                for attempt in range(rounds):
                    _timed_click(page, _navigation(page)["Review register"])
                    box = page.get_by_label("Open a review", exact=True)
                    box.click()
                    box.fill("DHR-2025-04")
                    page.get_by_role("option", name="DHR-2025-04").first.wait_for()
                    label = "coordinator: open a review from the register" + (" (first)" if attempt == 0 else "")
                    timings.setdefault(label, []).append(_timed(page, lambda box=box: box.press("Enter")))
                _timed_click(page, _navigation(page)["Actions"])
                for attempt in range(rounds):
                    page.get_by_label("What has happened").first.fill(f"Benchmark note {attempt}")
                    button = page.get_by_role("button", name="Save progress").first
                    seconds = _timed(page, button.click, new_page=False, shows="Progress saved")
                    timings.setdefault("coordinator: save a progress note", []).append(seconds)
            context.close()
        browser.close()
    return timings


def _build_demo_library(base: str) -> None:
    """Open the app once, as its first user would: the first start indexes the demo library."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(base)
        page.get_by_role("button", name="Sign in").wait_for(timeout=300_000)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url", help="an app already running on a demo workspace; else one is started")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--roles", nargs="+", choices=ROLES, default=list(ROLES))
    args = parser.parse_args(argv)
    if args.url:
        timings = measure(args.url, args.rounds, tuple(args.roles))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            # the first start builds the demo library (and so loads the model); measure a restarted app,
            # as a council's machine is each morning, where the first search must load it
            process, base, log = _serve(Path(tmp) / "data", Path(tmp) / "first-start.log", demo=True)
            _build_demo_library(base)
            _stop(process, log)
            process, base, log = _serve(Path(tmp) / "data", Path(tmp) / "streamlit.log", demo=True)
            try:
                timings = measure(base, args.rounds, tuple(args.roles))
            finally:
                _stop(process, log)
    figures = {
        name: {
            "p50_s": round(statistics.median(values), 3),
            "p95_s": round(_percentile(values, 0.95), 3),
            "n": len(values),
        }
        for name, values in timings.items()
    }
    width = max(map(len, figures))
    print(f"{'page':<{width}}  p50 (s)  p95 (s)   n")
    for name, row in figures.items():
        print(f"{name:<{width}}  {row['p50_s']:7.2f}  {row['p95_s']:7.2f}  {row['n']:2d}")
    navigation = [v for k, v in timings.items() if not any(w in k for w in (": save", ": sign in", ": search"))]
    every = [t for values in navigation for t in values]
    print(
        f"\nall page changes: p50 {statistics.median(every):.2f} s, slowest p50 "
        f"{max(statistics.median(v) for v in navigation):.2f} s, max {max(every):.2f} s"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
