"""DHR Learning Repository: entry point. Page config, sign-in gate, navigation by role."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.accounts import ROLES, has_accounts
from demo import DEMO_NOTICE, is_demo
from reviews.access import why_not_open
from ui.first_run import first_run_page
from ui.session import check_session, closed_page, ensure_demo_library, get_store
from ui.sign_in import sign_in_page
from ui.sso import sign_in_with_provider, sign_out_of_provider, signed_in_by_provider, waiting_page

FAVICON = Path(__file__).parent / "ui" / "static" / "favicon.svg"  # local: a material icon comes from Google
st.set_page_config(page_title="DHR Learning Repository", page_icon=FAVICON, layout="wide")

# url path -> (script, title, icon); every screen of the app, whoever may see it
PAGES = {
    "dashboard": ("pages/dashboard.py", "Dashboard", ":material/dashboard:"),
    "reviews": ("pages/register.py", "Review register", ":material/folder_open:"),
    "review": ("pages/review.py", "Review", ":material/description:"),
    "new-review": ("pages/new_review.py", "Register a death", ":material/add_circle:"),
    "administration": ("pages/administration.py", "Administration", ":material/manage_accounts:"),
    "overview": ("pages/overview.py", "Overview", ":material/insights:"),
    "search": ("pages/search.py", "Search lessons", ":material/search:"),
    "themes": ("pages/themes.py", "Themes", ":material/hub:"),
    "national": ("pages/national.py", "National recommendations", ":material/account_balance:"),
    "library": ("pages/library.py", "Library documents", ":material/library_books:"),
    "actions": ("pages/actions.py", "Actions", ":material/checklist:"),
    "figures": ("pages/figures.py", "Implementation figures", ":material/bar_chart:"),
    "import-plan": ("pages/import_plan.py", "Import an action plan", ":material/upload_file:"),
    "import-register": ("pages/import_register.py", "Import the register", ":material/table_view:"),
    "account": ("pages/account.py", "My account", ":material/person:"),
}
CASE = ["dashboard", "reviews", "review"]
SECTIONS_BY_ROLE = {
    "coordinator": {
        "Reviews": CASE,
        "Recommendations": ["actions", "figures", "import-plan"],
        "Learning": ["search", "themes", "national", "library"],
        "Coordinator": ["new-review", "import-register", "administration"],
        "Account": ["account"],
    },
    "chair": {
        "Reviews": CASE,
        "Recommendations": ["actions", "figures", "import-plan"],
        "Learning": ["search", "themes", "national"],
        "Account": ["account"],
    },
    "agency_lead": {
        "Partnership": ["actions", "overview", "figures", "search", "themes", "national"],
        "Account": ["account"],
    },
}
OTHER_ROLES = {"Partnership": ["overview", "figures", "search", "themes", "national"], "Account": ["account"]}


def page(url_path: str, default: bool = False) -> st.Page:
    script, title, icon = PAGES[url_path]
    return st.Page(script, title=title, icon=icon, url_path=url_path, default=default)


store = get_store()
# a deactivated account, a changed role or password, or an idle session takes effect at the next rerun
viewer = check_session(store)
waiting = False
set_up = has_accounts(store)
if viewer is None and set_up and signed_in_by_provider():  # the council's account: a reload too
    if st.session_state.get("signed_out"):  # idle, or the account changed: end the provider's sign-in here too
        sign_out_of_provider()
    viewer = sign_in_with_provider(store)
    waiting = viewer is None

if is_demo(store):
    st.sidebar.warning(DEMO_NOTICE, icon=":material/theater_comedy:")

if not set_up:
    navigation = st.navigation(
        [st.Page(first_run_page, title="Set up", url_path="setup", default=True)], position="hidden"
    )
elif waiting:
    navigation = st.navigation(
        [st.Page(waiting_page, title="Waiting for access", url_path="waiting")], position="hidden"
    )
elif viewer is None:
    # Signed out, every address shows the sign-in form; after signing in, the same address
    # opens that page if the person's role includes it, and their home page if not.
    navigation = st.navigation(
        [st.Page(sign_in_page, title="Sign in", url_path="sign-in", default=True)]
        + [st.Page(sign_in_page, title="Sign in", url_path=path) for path in PAGES],
        position="hidden",
    )
else:
    sections = SECTIONS_BY_ROLE.get(viewer.role, OTHER_ROLES)
    menu = {
        section: [page(path, default=(i == 0 and j == 0)) for j, path in enumerate(paths)]
        for i, (section, paths) in enumerate(sections.items())
    }
    home = next(iter(menu.values()))[0]
    shown = {path for paths in sections.values() for path in paths}
    # every other page's address stays known, out of the menu: it opens the home page saying why
    menu[next(reversed(menu))] += [
        st.Page(closed_page(title, home), title=title, url_path=path, visibility="hidden")
        for path, (_, title, _) in PAGES.items()
        if path not in shown
    ]
    navigation = st.navigation(menu, expanded=True)  # the coordinator's fourteen pages, none behind "View more"
    if refused := st.session_state.pop("refused_page", None):
        st.warning(refused, icon=":material/lock:")
    elif not viewer.sees_case_records and st.query_params.get("ref"):  # a case link: say why it does not open
        st.warning(why_not_open(viewer, st.query_params["ref"]), icon=":material/lock:")
if viewer is not None:
    with st.sidebar:
        st.caption(f"Signed in as **{viewer.display_name}** · {ROLES[viewer.role]}")
        if st.button("Sign out", icon=":material/logout:"):
            del st.session_state["viewer"]
            if signed_in_by_provider():
                sign_out_of_provider()  # ends the provider's sign-in in this browser too
            st.rerun()

ensure_demo_library(store)  # after st.navigation, so the first start shows only this app's pages
navigation.run()
