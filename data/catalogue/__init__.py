"""The indicator catalogue: frameworks, indicators and shipped targets, kept as readable YAML beside this
file.

``frameworks.yaml`` holds the local CYP Outcomes Framework and the national HCP high-impact areas with their
titles verbatim; ``indicators.yaml`` every indicator with its plain-English definition and the framework
nodes it serves; ``targets.yaml`` the targets the product ships with. :func:`load_catalogue` reads and checks
all three, so a mistake in the files stops ``kpi seed`` with a message naming the entry, before anything is
written to the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from data.periods import YEAR_TYPES

CATALOGUE_DIR = Path(__file__).resolve().parent

POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
VALUE_TYPES = ("proportion", "rate", "mean", "count")
FREQUENCIES = ("annual", "quarterly", "monthly", "one-off")
UNIT_MULTIPLIERS = {
    "%": 100,
    "per 1,000": 1000,
    "per 10,000": 10000,
    "per 100,000": 100000,
    "number": 1,
    "WTE": 1,
    "years": 1,
}


# The published sources an indicator's ``sources:`` entries may name, and the label their importers give
# each row (stored as the alias's measure, so a source's own measure id resolves to the indicator).
SOURCE_LABELS = {
    "lait": "DfE LAIT",
    "els": "ONS Explore Local Statistics",
    "sdg": "ONS SDG",
}


class CatalogueError(ValueError):
    """The catalogue files are inconsistent; the message names the entry and the problem."""


@dataclass(frozen=True)
class FrameworkNode:
    framework_code: str
    code: str
    parent_code: str | None
    level: str
    title: str
    sort_order: int


@dataclass(frozen=True)
class Framework:
    code: str
    title: str
    short_title: str
    source: str
    sort_order: int
    nodes: tuple[FrameworkNode, ...]


@dataclass(frozen=True)
class Alias:
    source_name: str
    measure: str = ""


@dataclass(frozen=True)
class Source:
    """A published measure that feeds an indicator (same definition), and why it matches."""

    source: str  # a key of SOURCE_LABELS
    measure_id: str
    why: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    short_name: str
    definition: str
    numerator: str
    denominator: str
    value_type: str
    unit: str
    multiplier: int
    polarity: str
    frequency: str
    age: str
    sex: str
    source: str
    fingertips_id: int | None
    illustrative: bool
    maps_to: tuple[tuple[str, str], ...]
    sort_order: int
    year_type: str = "financial"
    kpi_code: str | None = None
    aliases: tuple[Alias, ...] = field(default=())
    sources: tuple[Source, ...] = field(default=())
    rare_events: bool = False
    """Counts of events that can be rare in one area: the indicator page offers a G chart of the periods
    between events."""


@dataclass(frozen=True)
class Target:
    indicator_code: str
    area_code: str  # '' means every area
    target: float
    amber_threshold: float | None
    effective_from: dt.date
    set_by: str
    reason: str
    illustrative: bool


@dataclass(frozen=True)
class Catalogue:
    frameworks: tuple[Framework, ...]
    indicators: tuple[Indicator, ...]
    targets: tuple[Target, ...]


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_document(text: str) -> Any:
    """The YAML document in ``text``, loaded as plain data (a safe loader), with libyaml's C parser where
    PyYAML has it: the 84 KB of indicators take about 35 ms rather than 450 ms with the Python parser, on
    the indicator page's first view in a new process and on every ``kpi seed``. Raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def _read(path: Path, key: str) -> list[dict]:
    try:
        document = yaml_document(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name} is not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise CatalogueError(f"{path.name} must contain a list called '{key}'")
    return document[key]


def _flatten(framework_code: str, items: list[dict], parent: str | None, into: list[FrameworkNode]) -> None:
    """Append ``items`` and their children to ``into`` depth-first, so sort order follows the document."""
    for item in items:
        code = str(item["code"])
        into.append(FrameworkNode(framework_code, code, parent, item["level"], item["title"], len(into)))
        _flatten(framework_code, item.get("children", []), code, into)


def _frameworks(entries: list[dict]) -> tuple[Framework, ...]:
    frameworks = []
    for order, entry in enumerate(entries):
        nodes: list[FrameworkNode] = []
        _flatten(entry["code"], entry["nodes"], None, nodes)
        codes = [n.code for n in nodes]
        if len(codes) != len(set(codes)):
            raise CatalogueError(f"framework {entry['code']} repeats a node code")
        frameworks.append(
            Framework(
                entry["code"], entry["title"], entry["short_title"], entry["source"], order, tuple(nodes)
            )
        )
    return tuple(frameworks)


_REQUIRED_TEXT = (
    "code",
    "name",
    "short_name",
    "definition",
    "numerator",
    "denominator",
    "value_type",
    "unit",
    "polarity",
    "frequency",
    "age",
    "sex",
    "source",
)


def _indicator(entry: dict, order: int, node_keys: set[tuple[str, str]]) -> Indicator:
    code = entry.get("code", f"entry {order + 1}")
    missing = [name for name in _REQUIRED_TEXT if not str(entry.get(name) or "").strip()]
    if missing:
        raise CatalogueError(f"indicator {code}: missing {', '.join(missing)}")
    checks = (
        ("polarity", POLARITIES),
        ("value_type", VALUE_TYPES),
        ("frequency", FREQUENCIES),
        ("unit", tuple(UNIT_MULTIPLIERS)),
        ("year_type", YEAR_TYPES),
    )
    for name, allowed in checks:
        value = entry.get(name, "financial" if name == "year_type" else None)
        if value not in allowed:
            raise CatalogueError(f"indicator {code}: {name} '{value}' is not one of {', '.join(allowed)}")
    if entry.get("multiplier") != UNIT_MULTIPLIERS[entry["unit"]]:
        raise CatalogueError(
            f"indicator {code}: unit '{entry['unit']}' needs multiplier {UNIT_MULTIPLIERS[entry['unit']]}"
        )
    if not isinstance(entry.get("illustrative"), bool):
        raise CatalogueError(f"indicator {code}: illustrative must be true or false")
    if not isinstance(entry.get("rare_events", False), bool):
        raise CatalogueError(f"indicator {code}: rare_events must be true or false")
    maps_to = []
    for ref in entry.get("maps_to") or []:
        framework_code, _, node_code = str(ref).partition(":")
        if (framework_code, node_code) not in node_keys:
            raise CatalogueError(f"indicator {code}: maps to '{ref}', which is not a framework node")
        maps_to.append((framework_code, node_code))
    if not maps_to:
        raise CatalogueError(f"indicator {code}: maps to no outcome or high-impact area")
    aliases = tuple(
        Alias(str(a["indicator"]), str(a.get("measure") or "")) for a in entry.get("aliases") or []
    )
    sources = tuple(_source(code, s) for s in entry.get("sources") or [])
    aliases += tuple(Alias(s.measure_id, SOURCE_LABELS[s.source]) for s in sources)
    fingertips_id = entry.get("fingertips_id")
    return Indicator(
        code=code,
        name=entry["name"].strip(),
        short_name=entry["short_name"].strip(),
        definition=" ".join(entry["definition"].split()),
        numerator=" ".join(entry["numerator"].split()),
        denominator=" ".join(entry["denominator"].split()),
        value_type=entry["value_type"],
        unit=entry["unit"],
        multiplier=int(entry["multiplier"]),
        polarity=entry["polarity"],
        frequency=entry["frequency"],
        age=str(entry["age"]),
        sex=str(entry["sex"]),
        source=entry["source"].strip(),
        fingertips_id=int(fingertips_id) if fingertips_id is not None else None,
        illustrative=entry["illustrative"],
        maps_to=tuple(maps_to),
        sort_order=order,
        year_type=entry.get("year_type", "financial"),
        kpi_code=entry.get("kpi_code"),
        aliases=aliases,
        sources=sources,
        rare_events=entry.get("rare_events", False),
    )


def _source(code: str, entry: dict) -> Source:
    """One ``sources:`` entry, checked: a known source, the source's measure id and a reason."""
    source, measure_id, why = (str(entry.get(k) or "").strip() for k in ("source", "id", "why"))
    if source not in SOURCE_LABELS:
        raise CatalogueError(f"indicator {code}: source '{source}' is not one of {', '.join(SOURCE_LABELS)}")
    if not measure_id or not why:
        raise CatalogueError(f"indicator {code}: a {source} source needs its measure id and why it matches")
    return Source(source, measure_id, " ".join(why.split()))


def _target(entry: dict, indicator_codes: set[str]) -> Target:
    code = entry.get("indicator")
    if code not in indicator_codes:
        raise CatalogueError(f"target for '{code}': no such indicator in indicators.yaml")
    amber = entry.get("amber_threshold")
    effective = entry["effective_from"]
    return Target(
        indicator_code=code,
        area_code=entry.get("area") or "",
        target=float(entry["target"]),
        amber_threshold=float(amber) if amber is not None else None,
        effective_from=effective if isinstance(effective, dt.date) else dt.date.fromisoformat(str(effective)),
        set_by=str(entry["set_by"]),
        reason=" ".join(str(entry["reason"]).split()),
        illustrative=bool(entry.get("illustrative", False)),
    )


def _check_unique(indicators: tuple[Indicator, ...]) -> None:
    seen: dict[object, str] = {}
    for ind in indicators:
        keys: list[tuple[str, object]] = [("code", ind.code)]
        keys += [("fingertips id", ind.fingertips_id)] if ind.fingertips_id is not None else []
        keys += [("alias", (a.source_name, a.measure)) for a in ind.aliases]
        for key in keys:
            if key in seen:
                raise CatalogueError(f"indicators {seen[key]} and {ind.code} share the {key[0]} {key[1]!r}")
            seen[key] = ind.code


def load_catalogue(directory: Path = CATALOGUE_DIR) -> Catalogue:
    """Read and check the catalogue files in ``directory``; raise :class:`CatalogueError` on any problem."""
    frameworks = _frameworks(_read(directory / "frameworks.yaml", "frameworks"))
    node_keys = {(n.framework_code, n.code) for f in frameworks for n in f.nodes}
    indicators = tuple(
        _indicator(entry, order, node_keys)
        for order, entry in enumerate(_read(directory / "indicators.yaml", "indicators"))
    )
    _check_unique(indicators)
    codes = {ind.code for ind in indicators}
    targets_path = directory / "targets.yaml"
    targets = (
        tuple(_target(e, codes) for e in _read(targets_path, "targets")) if targets_path.exists() else ()
    )
    return Catalogue(frameworks, indicators, targets)
