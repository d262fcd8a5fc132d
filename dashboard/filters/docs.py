"""The URL-parameter table of docs/dashboard.md, written from the filter specs."""

from __future__ import annotations

from dashboard.filters.kinds import Multi, Pick, Spec, Toggle
from dashboard.filters.specs import SEGMENTS, SPECS

START = "<!-- url-parameters: written by `python -m dashboard.filters`; do not edit by hand -->"
END = "<!-- url-parameters: end -->"


def _default(spec: Spec) -> str:
    if spec.doc_default:
        return spec.doc_default
    if isinstance(spec, Multi) and spec.wanted:
        return ", ".join(f"`{v}`" for v in spec.wanted)
    if isinstance(spec, Pick) and spec.wanted:
        return f"`{spec.wanted}`"
    if isinstance(spec, Toggle):
        return "`1`" if spec.on else "`0`"
    return "all" if spec.kind == "multi" else "none (any)"


def _values(spec: Spec) -> str:
    return spec.doc_values or (f"as `{SPECS[spec.like].params[0]}`" if spec.like else "")


def url_table() -> str:
    """The Markdown table: one row per filter (a Compare segment's copies share a row)."""
    rows = ["| parameter | filter | values | default |", "| --- | --- | --- | --- |"]
    for spec in SPECS.values():
        side = spec.name.split("_", 1)[0]
        if spec.like and side in SEGMENTS:
            if side != SEGMENTS[0]:
                continue
            copies = [SPECS[f"{s}{spec.name[1:]}"] for s in SEGMENTS]
            params = ", ".join(f"`{p}`" for c in copies for p in c.params)
            label = "Compare, each segment: " + spec.label.replace(f"{side.upper()}'s", "its")
        else:
            params = ", ".join(f"`{p}`" for p in spec.params)
            label = spec.label
        rows.append(f"| {params} | {label} | {_values(spec)} | {_default(spec)} |")
    return "\n".join(rows)


def block() -> str:
    """The table between its markers, as docs/dashboard.md holds it."""
    return f"{START}\n{url_table()}\n{END}"
