"""Router only: registers the pages (one file each in dashboard/views/) with st.navigation."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, but pages import `dashboard.*`.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

# (file, title, icon, url path): adding a page is one file in views/ and one line here.
PAGES = (
    ("views/overview.py", "Overview", ":material/dashboard:", "overview"),
    ("views/openings.py", "Job openings", ":material/work:", "openings"),
    ("views/salaries.py", "Salaries", ":material/payments:", "salaries"),
    ("views/skills.py", "Skills", ":material/psychology:", "skills"),
    ("views/industries.py", "Industries & sectors", ":material/factory:", "industries"),
    ("views/education.py", "Education & careers", ":material/school:", "education"),
    ("views/sources.py", "Data & sources", ":material/database:", "sources"),
)

st.set_page_config(page_title="Job market: salaries & skills", page_icon="📊", layout="wide")
navigation = st.navigation(
    [
        st.Page(path, title=title, icon=icon, url_path=url, default=i == 0)
        for i, (path, title, icon, url) in enumerate(PAGES)
    ]
)
navigation.run()
