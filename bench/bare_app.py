"""The floor of this stack for the browser benchmark: a bare one-chart Streamlit app.

One sidebar toggle (kept in the URL, as the dashboard keeps its filters) and one plotly bar
chart of a small table; `bench.browser` serves it beside the dashboard, the same way, and
divides the dashboard's times by this app's."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

st.set_page_config(page_title="Bare app", layout="wide")
st.title("Bare app")
doubled = st.sidebar.toggle(
    "Double the values", value=st.query_params.get("double") == "1", key="flt_double"
)
st.query_params["double"] = "1" if doubled else "0"
frame = pd.DataFrame({"country": list("ABCDEFGHIJ"), "value": range(1, 11)})
frame["value"] *= 2 if doubled else 1
st.plotly_chart(px.bar(frame, x="country", y="value"), key="chart_main")
