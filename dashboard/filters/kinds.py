"""The kinds of filter, one class each: what it takes, its default, URL form, words and widget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from dashboard.filters.options import Options

MAX_AMOUNT = 1e9
ECHO_CHARS = 40  # a URL value echoed in a notice is cut to this many characters
INVALID = object()  # a URL value that keeps the filter's default
Given = Mapping[str, Sequence[str]]  # a filter's URL parameters as given, each with its values


def echo(raw: object) -> str:
    """A value from the URL as inert Markdown code (never a link, never formatting), cut to
    ECHO_CHARS with its full length said: a notice must not be a way to put a link, or 100 KB of
    text, on the page."""
    text = " ".join(str(raw).split()).replace("`", "'")
    if len(text) > ECHO_CHARS:
        text = f"{text[:ECHO_CHARS]}…` ({len(str(raw)):,} characters)"
        return f"`{text}"
    return f"`{text}`" if text else "(empty)"


def match(raw: str, allowed: Sequence[str]) -> list[str] | None:
    """Map a URL value to options: exact, case-insensitive, or a comma-separated list of them."""
    lower = {a.lower(): a for a in allowed}
    if raw.strip().lower() in lower:
        return [lower[raw.strip().lower()]]
    parts = [p.strip().lower() for p in raw.split(",") if p.strip()]
    if parts and all(p in lower for p in parts):
        return [lower[p] for p in parts]
    return None


def amount(raw: str) -> float | None:
    """A non-negative amount of money from a URL (`150000`, `150,000`, `150000.50`)."""
    try:
        value = float(raw.replace(",", "").replace("_", "x"))
    except ValueError:
        return None
    return value if 0 <= value <= MAX_AMOUNT else None


def number_text(value: float) -> str:
    """An amount as the URL writes it: no decimals when whole."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _int(raw: str) -> int | None:
    try:
        return int(raw.strip())
    except ValueError:
        return None


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def years_text(years: tuple[int, int] | None, options: Options) -> str:
    """`2024`, `2020 to 2025 (2025 partly covered)`: the work years a salary figure covers."""
    lo, hi = years or options.years or (None, None)
    if lo is None:
        return "all years"
    text = str(lo) if lo == hi else f"{lo} to {hi}"
    partial = [y for y in options.partial_years if lo <= y <= hi]
    if partial:
        when = f" by the snapshot of {options.snapshot}" if options.snapshot else ""
        text += f" ({', '.join(map(str, partial))} covered only in part{when})"
    return text


@dataclass(frozen=True)
class Spec:
    """One filter: its state name, URL parameter(s), label and help. A subclass per kind says
    how its value is parsed, defaulted, written to the URL, said in words and drawn."""

    name: str
    label: str
    params: tuple[str, ...]
    help: str = ""
    like: str | None = None  # takes the values and labels of this filter (a segment's copy)
    needs: str | None = None  # shown when these values exist ("years": salary reports loaded)
    doc_values: str = ""  # the values column of the URL table in docs/dashboard.md
    doc_default: str = ""  # its default column

    kind: ClassVar[str] = ""
    linked: ClassVar[bool] = True  # a shared link writes it out even at its default

    @property
    def values_of(self) -> str:
        return self.like or self.name

    def available(self, options: Options) -> bool:
        return options.has(self.needs or self.name)

    def default(self, options: Options) -> Any:
        return None

    def what(self) -> str:
        """The filter in a notice: `experience level`, `country of segment B`."""
        what = self.label.lower()
        if self.like and self.name[:2] in ("a_", "b_"):
            what += f" of segment {self.name[0].upper()}"  # a Compare segment's copy: say whose
        return what

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        """(value or INVALID, notice or "") from the URL values of this filter's parameters."""
        raise NotImplementedError

    def url(self, value: Any, options: Options) -> dict[str, list[str]]:
        """The URL parameters that say `value`."""
        return {self.params[0]: [str(value) if value is not None else ""]}

    def words(self, value: Any, options: Options) -> str | None:
        """The value as the page caption and the exports say it; None: not said."""
        return None if value is None else options.label(self.name, value)

    def sanitize(self, value: Any, options: Options) -> Any:
        """A session's value still valid on the current data version (after a refresh)."""
        return value

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        """(Streamlit function, positional arguments after the label, keyword arguments)."""
        raise NotImplementedError

    def widget_value(self, value: Any, options: Options) -> Any:
        """The widget's value for a state value."""
        return value

    def from_widget(self, raw: Any, options: Options) -> Any:
        """The state value for a widget's raw value."""
        return raw

    def _format(self, options: Options) -> dict[str, Any]:
        return {"format_func": lambda v, n=self.name: options.label(n, v)}


@dataclass(frozen=True)
class Multi(Spec):
    """Several values of a list (empty = all); `wanted` are the defaults present in the data."""

    wanted: tuple[str, ...] = ()
    most: int | None = None  # at most this many values
    segmented: bool = False  # a short list drawn as buttons

    kind: ClassVar[str] = "multi"

    def default(self, options: Options) -> Any:
        return tuple(v for v in options.of(self.name) if v in self.wanted)

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        raw = given[self.params[0]]
        if all(v.strip() == "" for v in raw):
            return (), ""  # `?sector=` means "none chosen" (differs from a non-empty default)
        allowed = options.of(self.name)
        picked: list[str] = []
        bad: list[str] = []
        for value in raw:
            if value.strip() == "":
                continue
            matched = match(value, allowed)
            if matched is None:  # a comma list with a bad part: keep the good parts
                parts = [part for part in value.split(",") if part.strip()]
                matched = [m for part in parts for m in (match(part, allowed) or [])]
                bad += [part for part in parts if match(part, allowed) is None]
            picked += [m for m in matched if m not in picked]
        shown = ", ".join(echo(b) for b in bad[:10]) + (
            f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        )
        note = f"Ignored unknown {self.what()} value(s): {shown}." if bad else ""
        if not picked:
            return INVALID, note
        if self.most is not None and len(picked) > self.most:
            dropped = ", ".join(picked[self.most :])
            note = (note + " " if note else "") + (
                f"{self.label} takes at most {self.most} values: ignored {dropped}."
            )
            picked = picked[: self.most]
        return tuple(v for v in allowed if v in picked), note

    def url(self, value: Any, options: Options) -> dict[str, list[str]]:
        return {self.params[0]: [str(v) for v in value] if value else [""]}

    def words(self, value: Any, options: Options) -> str | None:
        if not value and value == self.default(options):
            return None
        return ", ".join(options.label(self.name, v) for v in value) or "(none)"

    def sanitize(self, value: Any, options: Options) -> Any:
        allowed = set(options.of(self.name))
        return tuple(v for v in (value or ()) if v in allowed)

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        values = (options.of(self.name),)
        if self.segmented:
            return "segmented_control", values, {"selection_mode": "multi", **self._format(options)}
        return (
            "multiselect",
            values,
            {
                "placeholder": "All" if self.most is None else f"Up to {self.most}",
                "max_selections": self.most,
                **self._format(options),
            },
        )

    def widget_value(self, value: Any, options: Options) -> Any:
        return list(value)

    def from_widget(self, raw: Any, options: Options) -> Any:
        return tuple(v for v in options.of(self.name) if v in (raw or []))


@dataclass(frozen=True)
class Pick(Spec):
    """One value of a list, or none (`empty` says what none means); `wanted` is the default."""

    wanted: str | None = None
    empty: str = ""  # the placeholder when nothing is picked, where "All" would mislead
    latest_year: bool = False  # the default is the latest complete work year

    kind: ClassVar[str] = "pick"

    def default(self, options: Options) -> Any:
        wanted = self.wanted
        if self.latest_year and options.year_default:
            wanted = str(options.year_default[1])
        return wanted if wanted in options.of(self.name) else None

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        raw = given[self.params[0]][-1]
        if raw.strip() == "":
            return None, ""
        matched = match(raw, options.of(self.name))
        if matched is None or len(matched) != 1:
            # "US state" keeps its capitals; "Occupation (official)" reads in lower case
            label = self.label
            said = label if label[:2].isupper() else label[0].lower() + label[1:]
            return INVALID, f"Ignored unknown {said} {echo(raw)}."
        return matched[0], ""

    def sanitize(self, value: Any, options: Options) -> Any:
        return value if value is None or value in options.of(self.name) else self.default(options)

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        # The picker's own labels may say more than the filter summary (the occupation's group).
        picker = options.labels.get(f"{self.values_of}_picker", {})
        placeholder = self.empty or ("All" if self.default(options) is None else "Choose one")
        return (
            "selectbox",
            (options.of(self.name),),
            {
                "placeholder": placeholder,
                "format_func": lambda v, n=self.name: picker.get(v) or options.label(n, v),
            },
        )


@dataclass(frozen=True)
class Choice(Spec):
    """One of a few values, always one (the first by default)."""

    kind: ClassVar[str] = "choice"

    def default(self, options: Options) -> Any:
        values = options.of(self.name)
        return values[0] if values else None

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        raw = given[self.params[0]][-1]
        matched = match(raw, options.of(self.name))
        if matched is None or len(matched) != 1:
            return INVALID, f"Ignored {self.what()} {echo(raw)}."
        return matched[0], ""

    def sanitize(self, value: Any, options: Options) -> Any:
        return value if value in options.of(self.name) else self.default(options)

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        return (
            "radio",
            (options.of(self.name),),
            {"horizontal": horizontal, **self._format(options)},
        )


@dataclass(frozen=True)
class Toggle(Spec):
    """On or off."""

    on: bool = False  # the default

    kind: ClassVar[str] = "toggle"

    def default(self, options: Options) -> Any:
        return self.on

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        raw = given[self.params[0]][-1].strip().lower()
        if raw in ("1", "true", "yes", "on"):
            return True, ""
        if raw in ("0", "false", "no", "off", ""):
            return False, ""
        return INVALID, f"Ignored {self.what()} {echo(raw)} (use 1 or 0)."

    def url(self, value: Any, options: Options) -> dict[str, list[str]]:
        return {self.params[0]: ["1" if value else "0"]}

    def words(self, value: Any, options: Options) -> str | None:
        # said when on, or when switched off from on
        return ("yes" if value else "no") if value or self.on else None

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        return "toggle", (), {}

    def from_widget(self, raw: Any, options: Options) -> Any:
        return bool(raw)


@dataclass(frozen=True)
class Number(Spec):
    """An amount of money, or none."""

    kind: ClassVar[str] = "number"

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        raw = given[self.params[0]][-1].strip()
        if raw == "":
            return None, ""
        value = amount(raw)
        if value is None:
            return INVALID, f"Ignored {self.what()} {echo(raw)} (a number such as 150000)."
        return value, ""

    def url(self, value: Any, options: Options) -> dict[str, list[str]]:
        return {self.params[0]: [number_text(value) if value is not None else ""]}

    def words(self, value: Any, options: Options) -> str | None:
        return None if value is None else f"{value:,.0f}"

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        return (
            "number_input",
            (),
            {
                "min_value": 0.0,
                "max_value": MAX_AMOUNT,
                "step": 1000.0,
                "format": "%.0f",
                "placeholder": "e.g. 150000",
            },
        )

    def from_widget(self, raw: Any, options: Options) -> Any:
        return None if raw is None else float(raw)


@dataclass(frozen=True)
class Range(Spec):
    """A range between the data's bounds; None is the full range, whatever it is."""

    linked: ClassVar[bool] = False
    bounds_of: ClassVar[str] = ""  # the Options field holding the data's bounds
    slider: ClassVar[dict[str, Any]] = {}  # the slider's own arguments

    def bounds(self, options: Options) -> tuple[Any, Any] | None:
        return getattr(options, self.bounds_of)

    def read(self, raw: str) -> Any:
        """A bound from the URL, None when it does not read."""
        raise NotImplementedError

    def widget(self, options: Options, horizontal: bool) -> tuple[str, tuple, dict[str, Any]]:
        bounds = self.bounds(options)
        assert bounds is not None
        return "slider", tuple(bounds), dict(self.slider)

    def available(self, options: Options) -> bool:
        bounds = self.bounds(options)
        return bounds is not None and bounds[0] < bounds[1]

    def parse(self, given: Given, options: Options) -> tuple[Any, str]:
        bounds = self.bounds(options)
        assert bounds is not None
        lo_param, hi_param = self.params
        lo = self.read(given[lo_param][-1]) if lo_param in given else bounds[0]
        hi = self.read(given[hi_param][-1]) if hi_param in given else bounds[1]
        if lo is None or hi is None or lo > hi:
            shown = ", ".join(echo(f"{p}={v[-1]}") for p, v in given.items())
            return INVALID, f"Ignored {self.what()} range {shown}: not a valid range."
        clamped = (max(lo, bounds[0]), min(hi, bounds[1]))
        if clamped[0] > clamped[1]:
            return (
                INVALID,
                f"Ignored {self.what()} range: outside the data ({bounds[0]}–{bounds[1]}).",
            )
        note = ""
        if clamped != (lo, hi):
            note = f"{self.label} range limited to the data: {clamped[0]}–{clamped[1]}."
        return (None if clamped == bounds else clamped), note

    def url(self, value: Any, options: Options) -> dict[str, list[str]]:
        lo, hi = value or self.bounds(options)  # written out when the default is narrower
        return {self.params[0]: [str(lo)], self.params[1]: [str(hi)]}

    def words(self, value: Any, options: Options) -> str | None:
        if value is None:
            return None
        return f"{value[0]} to {value[1]}"

    def sanitize(self, value: Any, options: Options) -> Any:
        bounds = self.bounds(options)
        if value is not None and (bounds is None or value[0] < bounds[0] or value[1] > bounds[1]):
            return None
        return value

    def widget_value(self, value: Any, options: Options) -> Any:
        return tuple(value or self.bounds(options))

    def from_widget(self, raw: Any, options: Options) -> Any:
        lo, hi = raw
        return None if (lo, hi) == tuple(self.bounds(options)) else (lo, hi)


@dataclass(frozen=True)
class YearRange(Range):
    """Work years of the salary reports; by default the latest complete one."""

    kind: ClassVar[str] = "year_range"
    bounds_of: ClassVar[str] = "years"
    slider: ClassVar[dict[str, Any]] = {"step": 1}

    def read(self, raw: str) -> Any:
        return _int(raw)

    def default(self, options: Options) -> Any:
        return options.year_default if options.year_default not in (None, options.years) else None

    def words(self, value: Any, options: Options) -> str | None:
        return years_text(value, options)  # always said: a salary figure covers these years

    def from_widget(self, raw: Any, options: Options) -> Any:
        return super().from_widget((int(raw[0]), int(raw[1])), options)


@dataclass(frozen=True)
class DateRange(Range):
    """Days of the postings index."""

    kind: ClassVar[str] = "date_range"
    bounds_of: ClassVar[str] = "dates"
    slider: ClassVar[dict[str, Any]] = {"format": "YYYY-MM-DD"}

    def read(self, raw: str) -> Any:
        return _date(raw)
