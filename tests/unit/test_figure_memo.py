"""Figures are remembered per argument content: the same view for the next visitor costs no
rebuild, and any change in the data, a label or an option gives a new figure."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def _bars(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"country": ["US", "GB", "DE"], "share": values})


def test_the_same_arguments_give_the_same_figure_without_a_rebuild() -> None:
    first = charts.ranked_bars(_bars([3.0, 2.0, 1.0]), "country", "share", "Shares", "%")
    again = charts.ranked_bars(_bars([3.0, 2.0, 1.0]), "country", "share", "Shares", "%")
    assert again is first


def test_any_change_in_data_labels_or_options_gives_a_new_figure() -> None:
    base = charts.ranked_bars(_bars([3.0, 2.0, 1.0]), "country", "share", "Shares", "%")
    changed = [
        charts.ranked_bars(_bars([3.0, 2.0, 1.5]), "country", "share", "Shares", "%"),
        charts.ranked_bars(_bars([3.0, 2.0, 1.0]), "country", "share", "Other title", "%"),
        charts.ranked_bars(_bars([3.0, 2.0, 1.0]), "country", "share", "Shares", "%", color="red"),
    ]
    assert all(fig is not base for fig in changed)
    assert list(changed[0].data[0].x) == [1.5, 2.0, 3.0]
    assert changed[1].layout.title.text.startswith("Other title")
    assert list(base.data[0].x) == [1.0, 2.0, 3.0], "the remembered figure is unchanged"


def test_text_is_still_escaped_for_plotly_on_a_remembered_figure() -> None:
    frame = pd.DataFrame({"country": ["<a href='x'>US</a>", "GB"], "share": [2.0, 1.0]})
    for _ in range(2):
        fig = charts.ranked_bars(frame, "country", "share", "Shares", "%")
        assert "<a" not in " ".join(map(str, fig.data[0].y))


def test_arguments_it_cannot_fingerprint_are_built_every_time() -> None:
    frame = pd.DataFrame({"country": ["US"], "share": [1.0]})
    key = charts._fingerprint("ranked_bars", (frame, {"a": {1, 2}}), {})
    assert key is None
    assert charts._fingerprint("ranked_bars", (frame,), {}) is not None
