"""Router only: registers the pages (one file each in dashboard/pages/) with st.navigation."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, but pages import `dashboard.*`.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

# (file, title, icon, url path): adding a page is one file in pages/ and one line here.
PAGES = (
    ("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
    ("pages/openings.py", "Job openings", ":material/work:", "openings"),
    ("pages/salaries.py", "Salaries", ":material/payments:", "salaries"),
    ("pages/skills.py", "Skills", ":material/psychology:", "skills"),
    ("pages/industries.py", "Industries & sectors", ":material/factory:", "industries"),
    ("pages/education.py", "Education & careers", ":material/school:", "education"),
    ("pages/sources.py", "Data & sources", ":material/database:", "sources"),
)

st.set_page_config(page_title="Job market: salaries & skills", page_icon="📊", layout="wide")
navigation = st.navigation(
    [
        st.Page(path, title=title, icon=icon, url_path=url, default=i == 0)
        for i, (path, title, icon, url) in enumerate(PAGES)
    ]
)
navigation.run()
