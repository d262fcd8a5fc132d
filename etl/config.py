"""All paths and settings of the ETL, with their environment-variable overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from etl import catalog, countries

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = PROJECT_ROOT / "data" / "seed"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

# The Indeed countries are configuration, not code: override with a comma-separated list.
DEFAULT_INDEED_COUNTRIES = "AU,CA,DE,EA,ES,FR,GB,IE,IT,NL,US"
DEFAULT_INDEED_SECTOR_COUNTRIES = "AU,CA,DE,FR,GB,US"
# Which aijobs.net snapshot a mirror provides (a path relative to the mirror directory).
DEFAULT_AIJOBS_FILE = "aijobs-salaries/salaries-2025-01-19.csv"


def _env_list(name: str, default: str) -> tuple[str, ...]:
    raw = os.environ.get(name, default)
    return tuple(code.strip().upper() for code in raw.split(",") if code.strip())


@dataclass(frozen=True)
class Settings:
    """Where data lives and how sources are fetched; built from the environment by `load()`."""

    data_dir: Path = DEFAULT_DATA_DIR
    mirror: Path | None = None
    seed_dir: Path = SEED_DIR
    http_timeout: float = 60.0
    http_retries: int = 3
    keep_versions: int = 3
    indeed_countries: tuple[str, ...] = field(
        default_factory=lambda: _env_list("JOBMARKET_INDEED_COUNTRIES", DEFAULT_INDEED_COUNTRIES)
    )
    indeed_sector_countries: tuple[str, ...] = field(
        default_factory=lambda: _env_list(
            "JOBMARKET_INDEED_SECTOR_COUNTRIES", DEFAULT_INDEED_SECTOR_COUNTRIES
        )
    )

    # BLS answers a request without a User-Agent naming the requester with an error page:
    # set JOBMARKET_USER_AGENT to "<project> <contact e-mail>" for real downloads.
    user_agent: str = field(
        default_factory=lambda: (
            os.environ.get("JOBMARKET_USER_AGENT")
            or "jobmarket-dashboard-etl/1.0 (open data refresh; set JOBMARKET_USER_AGENT)"
        )
    )

    aijobs_file: str = field(
        default_factory=lambda: os.environ.get("JOBMARKET_AIJOBS_FILE") or DEFAULT_AIJOBS_FILE
    )

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        """A symlink to the current version directory; readers only ever see complete versions."""
        return catalog.processed_dir(self.data_dir)

    @property
    def versions_dir(self) -> Path:
        return catalog.versions_dir(self.data_dir)

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / ".refresh.lock"

    @property
    def manifest_path(self) -> Path:
        return catalog.manifest_path(self.processed_dir)


class ConfigError(ValueError):
    """A setting that cannot be used, said in one line with its name and value."""


def _number(name: str, default: str, kind: type, low: float, high: float) -> float:
    """A numeric setting from the environment, checked to lie in [low, high]."""
    raw = os.environ.get(name, default)
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number ({kind.__name__})") from None
    if not low <= value <= high:  # also refuses nan
        raise ConfigError(f"{name}={raw!r} is out of range: {low:g} to {high:g}")
    return value


def _codes(name: str, default: str) -> tuple[str, ...]:
    """A comma-separated list of country codes from the environment, each an ISO 3166-1
    alpha-2 code or a known aggregate (EA), none twice."""
    codes = _env_list(name, default)
    bad = [countries.shown(c) for c in codes if countries.name(c) is None]
    if bad:
        raise ConfigError(
            f"{name}={os.environ.get(name, default)!r}: {', '.join(bad)} "
            f"{'is not an' if len(bad) == 1 else 'are not'} ISO 3166-1 alpha-2 "
            f"code{'' if len(bad) == 1 else 's'} (or EA)"
        )
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ConfigError(f"{name}={os.environ.get(name, default)!r} lists {twice} twice")
    return codes


def load(data_dir: str | Path | None = None, mirror: str | Path | None = None) -> Settings:
    """Settings from arguments, then `JOBMARKET_DATA_DIR` / `JOBMARKET_MIRROR`, then defaults.
    A setting that cannot work (not a number, a data directory that is a file) raises
    ConfigError."""
    data = Path(data_dir or os.environ.get("JOBMARKET_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    if data.exists() and not data.is_dir():
        raise ConfigError(f"data directory {data} is a file, not a directory")
    mirror_dir = mirror or os.environ.get("JOBMARKET_MIRROR") or None
    if os.environ.get("JOBMARKET_MAX_FILE_MB", "").strip():  # read per source (etl.extract)
        _number("JOBMARKET_MAX_FILE_MB", "", float, 0.001, 1_000_000)
    return Settings(
        data_dir=data,
        mirror=Path(mirror_dir).resolve() if mirror_dir else None,
        http_timeout=_number("JOBMARKET_HTTP_TIMEOUT", "60", float, 1, 3600),
        http_retries=int(_number("JOBMARKET_HTTP_RETRIES", "3", int, 0, 20)),
        indeed_countries=_codes("JOBMARKET_INDEED_COUNTRIES", DEFAULT_INDEED_COUNTRIES),
        indeed_sector_countries=_codes(
            "JOBMARKET_INDEED_SECTOR_COUNTRIES", DEFAULT_INDEED_SECTOR_COUNTRIES
        ),
    )
