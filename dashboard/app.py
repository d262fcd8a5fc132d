"""Router only: registers the pages of dashboard/pages.py with st.navigation."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, but pages import `dashboard.*`.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.pages import APP_TITLE, PAGES  # noqa: E402

st.set_page_config(page_title=APP_TITLE, page_icon="📊", layout="wide")
# Page links in the main area read as links (underlined, in the theme's text colour, which
# keeps its contrast in light and dark themes), not as plain text.
st.markdown(
    "<style>[data-testid='stMain'] [data-testid='stPageLink'] a p"
    "{text-decoration: underline; text-underline-offset: 3px;}</style>",
    unsafe_allow_html=True,
)
navigation = st.navigation(
    [
        st.Page(p.file, title=p.title, icon=p.icon, url_path=p.path, default=i == 0)
        for i, p in enumerate(PAGES)
    ],
    # Every page listed: past ten, Streamlit would hide the rest behind "View more".
    expanded=True,
)
navigation.run()
