"""Every page of the dashboard, once: its file, its name in the navigation, its own
heading and the least role that may open it. The navigation (auth.py), each page's
heading, the tests and the browser benchmarks all take their pages from here. Nothing
here imports Streamlit, so a benchmark can read it without starting one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class PageRule:
    path: str
    title: str  # in the navigation
    icon: str
    role: str  # the least role that may use the page
    heading: str  # the page's own heading

    @property
    def url_path(self) -> str:
        """The page's address below the dashboard's ("" for the first page)."""
        name = PurePosixPath(self.path).stem
        return "" if name == DEFAULT else name


DEFAULT = "overview"
# in the order of the navigation
PAGES: dict[str, PageRule] = {
    "overview": PageRule(
        "app_pages/overview.py", "Overview", ":material/dashboard:", "viewer", "Programme overview"
    ),
    "realisation": PageRule(
        "app_pages/realisation.py",
        "Benefits realisation",
        ":material/savings:",
        "viewer",
        "Benefits realisation",
    ),
    "benefits": PageRule(
        "app_pages/benefits.py",
        "Benefits register",
        ":material/flag:",
        "viewer",
        "Benefits register",
    ),
    "options": PageRule(
        "app_pages/options.py",
        "Options appraisal",
        ":material/balance:",
        "viewer",
        "Options appraisal",
    ),
    "partnerships": PageRule(
        "app_pages/partnerships.py",
        "Partnerships",
        ":material/handshake:",
        "viewer",
        "Partnerships",
    ),
    "taking_stock": PageRule(
        "app_pages/taking_stock.py", "Taking Stock", ":material/forum:", "viewer", "Taking Stock"
    ),
    "submit": PageRule(
        "app_pages/submit.py",
        "Submit a return",
        ":material/upload_file:",
        "submitter",
        "Submit a return",
    ),
    "certify": PageRule(
        "app_pages/certify.py",
        "Certify returns",
        ":material/verified:",
        "certifier",
        "Certify returns",
    ),
    "history": PageRule(
        "app_pages/history.py",
        "Submission history",
        ":material/history:",
        "board_member",
        "Submission history",
    ),
    "users": PageRule(
        "app_pages/users.py",
        "Users and roles",
        ":material/group:",
        "administrator",
        "Users and roles",
    ),
    "audit": PageRule(
        "app_pages/audit.py", "Audit log", ":material/fact_check:", "administrator", "Audit log"
    ),
    "settings": PageRule(
        "app_pages/settings.py", "Settings", ":material/tune:", "administrator", "Settings"
    ),
    "about": PageRule(
        "app_pages/about.py", "About", ":material/info:", "viewer", "About sharedsvc"
    ),
}
# the pages every role sees: the figures and About
FIGURES_PAGES = tuple(name for name, rule in PAGES.items() if rule.role == "viewer")
