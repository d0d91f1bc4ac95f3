"""Words the charts share: an indicator's name inside a sentence, a figure with its unit, the subtitle and
source line under every headline, and the slug that names a download."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from dashboard.formatting import format_value, is_true, number

ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}


def display_name(short_name: str) -> str:
    """A short name that can sit inside a sentence: "Obesity: Reception" -> "Obesity (Reception)"."""
    if ": " in short_name:
        first, rest = short_name.split(": ", 1)
        return f"{first} ({rest})"
    return short_name


def in_sentence(short_name: str) -> str:
    """A short name to use mid-sentence: "Self-harm admissions (10-24)" -> "self-harm admissions (10-24)".

    The first letter is lowered only for an ordinary word: not for an abbreviation ("MMR", "A&E") or a
    name whose other words are capitalised too ("Getting Ready for Change completed")."""
    name = display_name(short_name)
    first, _, rest = name.partition(" ")
    outside_brackets = re.sub(r"\([^)]*\)", "", rest)
    if (
        len(first) > 1
        and first[0].isupper()
        and first[1:].replace("-", "").isalpha()
        and first[1:].islower()
        and not any(word[:1].isupper() for word in outside_brackets.split())
    ):
        return first[0].lower() + name[1:]
    return name


def lower_first(group: str) -> str:
    """A group's name mid-sentence: "Most deprived quintile" -> "most deprived quintile" (not "MMR")."""
    return group[0].lower() + group[1:] if group[:1].isupper() and group[1:2].islower() else group


def ordinal(n: int) -> str:
    """ "second", "third", … "seventh", then "8th"."""
    return ORDINALS.get(n, f"{n}th")


def value_text(value: object, indicator: Mapping) -> str:
    """A figure written with the indicator's unit: "12.9%", "662.7 per 100,000"."""
    return format_value(value, indicator.get("unit", ""), indicator.get("value_type", ""))


def source_line(indicator: Mapping, *, boundaries: bool = False) -> str:
    """ "Source: OHID Fingertips, indicator 90813", or the provider return for illustrative figures."""
    if is_true(indicator.get("illustrative")):
        text = "Source: provider quarterly return (illustrative figures)"
    elif (fingertips_id := number(indicator.get("fingertips_id"))) is not None:
        text = f"Source: OHID Fingertips, indicator {int(fingertips_id)}"
    else:
        text = f"Source: {indicator.get('source')}"
    if boundaries:
        text += ". Boundaries: Office for National Statistics, Open Government Licence v3.0"
    return text + "."


def subtitle(indicator: Mapping, where: str, periods: Sequence[str] = ()) -> str:
    """What is measured and where: "Hospital admissions as a result of self-harm (10-24 years), per
    100,000: Cambridgeshire, 2011/12 to 2017/18"."""
    unit = indicator.get("unit") or ""
    measure = indicator.get("name") or indicator.get("short_name") or ""
    if unit and unit != "number":
        measure += f" ({unit})"
    text = f"{measure}: {where}"
    labels = [p for p in periods if p]
    if len(labels) == 1:
        text += f", {labels[0]}"
    elif labels:
        text += f", {labels[0]} to {labels[-1]}"
    if is_true(indicator.get("illustrative")):
        text = "Illustrative figures, not real provider data. " + text
    return text + "."


def slug(text: str) -> str:
    """Text as part of a file name or id: "Deprivation quintile" -> "deprivation-quintile"."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "figures"
