"""What each filter may take on the current data version, and its default there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dashboard import fmt
from dashboard.data import filter_options
from dashboard.filters.specs import SPECS


@dataclass(frozen=True)
class Options:
    """What each filter may take on the current data version (ordered for display)."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    years: tuple[int, int] | None = None
    dates: tuple[date, date] | None = None
    year_default: tuple[int, int] | None = None  # the latest complete work year
    partial_years: tuple[int, ...] = ()  # years the salary snapshot covers only in part
    snapshot: str | None = None  # the salary snapshot's date (ISO), when known

    def year_list(self) -> list[int]:
        """Every work year of the salary data, in order."""
        return list(range(self.years[0], self.years[1] + 1)) if self.years else []

    def of(self, name: str) -> tuple[str, ...]:
        """The values filter `name` may take (a segment's copy: those of its original)."""
        return tuple(self.values.get(_values_of(name), ()))

    def has(self, name: str) -> bool:
        """Whether the data has values for `name` ("years": salary reports are loaded)."""
        return self.years is not None if name == "years" else bool(self.of(name))

    def label(self, name: str, value: str) -> str:
        """How a value of filter `name` reads (a country's name, a level's words)."""
        name = _values_of(name)
        return self.labels.get(name, {}).get(value, fmt.LABELS.get(name, {}).get(value, str(value)))

    def available(self, name: str) -> bool:
        """Whether filter `name` applies to the loaded data."""
        return SPECS[name].available(self)

    def default(self, name: str) -> Any:
        """Filter `name`'s default on the loaded data."""
        return SPECS[name].default(self)

    def defaults(self) -> dict[str, Any]:
        """Every filter's default on the loaded data."""
        return {name: spec.default(self) for name, spec in SPECS.items()}


def _values_of(name: str) -> str:
    spec = SPECS.get(name)
    return spec.values_of if spec else name


def load_options(key: str) -> Options:
    """Filter options of the data version `key` (the data layer caches the queries)."""
    return Options(**filter_options(key))
