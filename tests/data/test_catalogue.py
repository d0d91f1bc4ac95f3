"""The shipped catalogue: the whole framework verbatim, every indicator complete and mapped, mistakes
caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from data.catalogue import CATALOGUE_DIR, CatalogueError, load_catalogue
from data.queries import framework_nodes, indicator_catalogue, indicator_nodes, list_frameworks


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_outcomes_framework_has_five_domains_and_twenty_outcomes_verbatim(catalogue):
    framework = next(f for f in catalogue.frameworks if f.code == "cyp-outcomes")
    domains = [n for n in framework.nodes if n.level == "domain"]
    outcomes = [n for n in framework.nodes if n.level == "outcome"]
    assert len(domains) == 5 and len(outcomes) == 20
    titles = {n.code: n.title for n in framework.nodes}
    assert titles["3.3"] == "Fewer new child protection plans starting in the year per 10,000 population"
    assert titles["4.3"] == (
        "Increase the percentage of children who are 'school ready' and have a Good Level of Development "
        "at the end of Reception"
    )
    assert titles["2"] == "Children & Young People lead healthy lives"


def test_twelve_high_impact_areas(catalogue):
    framework = next(f for f in catalogue.frameworks if f.code == "hcp-high-impact-areas")
    areas = [n for n in framework.nodes if n.level == "high_impact_area"]
    assert len(areas) == 12
    assert areas[2].title == "supporting breastfeeding (initiation and duration)"


def test_at_least_thirty_indicators_and_every_outcome_and_area_served(catalogue):
    assert len(catalogue.indicators) >= 30
    served = {ref for ind in catalogue.indicators for ref in ind.maps_to}
    leaves = {
        (f.code, n.code)
        for f in catalogue.frameworks
        for n in f.nodes
        if n.level in ("outcome", "high_impact_area")
    }
    assert leaves - served == set()


def test_provider_kpis_are_marked_illustrative(catalogue):
    provider = [i for i in catalogue.indicators if i.source.startswith("Provider")]
    assert len(provider) >= 10
    assert all(i.illustrative for i in provider)
    assert not any(i.illustrative for i in catalogue.indicators if i.fingertips_id is not None)


def test_catalogue_in_the_store_matches_the_files(store, catalogue):
    assert list_frameworks(store)["title"].tolist() == [f.title for f in catalogue.frameworks]
    assert len(framework_nodes(store, "cyp-outcomes")) == 25
    stored = indicator_catalogue(store)
    assert stored["code"].tolist() == [i.code for i in catalogue.indicators]
    assert len(indicator_nodes(store)) == sum(len(i.maps_to) for i in catalogue.indicators)


def _edited_copy(tmp_path: Path, change) -> Path:
    for name in ("frameworks.yaml", "indicators.yaml", "targets.yaml"):
        shutil.copy(CATALOGUE_DIR / name, tmp_path / name)
    document = yaml.safe_load((tmp_path / "indicators.yaml").read_text())
    change(document["indicators"])
    (tmp_path / "indicators.yaml").write_text(yaml.safe_dump(document))
    return tmp_path


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda inds: inds[0].update(polarity="up"), "polarity 'up' is not one of"),
        (lambda inds: inds[0].update(maps_to=["cyp-outcomes:9.9"]), "not a framework node"),
        (lambda inds: inds[0].update(maps_to=[]), "maps to no outcome"),
        (lambda inds: inds[0].update(definition=""), "missing definition"),
        (lambda inds: inds[0].update(multiplier=7), "needs multiplier"),
        (lambda inds: inds.append(dict(inds[0])), "share the code"),
        (lambda inds: inds[0].update(rare_events="yes"), "rare_events must be true or false"),
    ],
)
def test_mistakes_in_the_catalogue_name_the_indicator(tmp_path, change, words):
    directory = _edited_copy(tmp_path, change)
    with pytest.raises(CatalogueError, match=words):
        load_catalogue(directory)


def test_rare_event_counts_are_flagged_for_a_chart_of_the_time_between_events(catalogue):
    flagged = {ind.code for ind in catalogue.indicators if ind.rare_events}
    assert flagged == {"injury-admissions-0-4", "self-harm-admissions-10-14"}


def test_reseeding_after_a_definition_changes_updates_it_in_place(store, tmp_path):
    """A new release may reword a definition of an indicator that already has figures and targets."""
    from data.importers.pipeline import import_file
    from data.seed import seed_reference
    from tests.data.helpers import EAST_OF_ENGLAND_MH

    import_file(store, EAST_OF_ENGLAND_MH)
    directory = _edited_copy(
        tmp_path, lambda inds: [i.update(definition=i["definition"] + " Reworded.") for i in inds]
    )
    counts = seed_reference(store, load_catalogue(directory))
    assert counts["indicators"] == len(load_catalogue(directory).indicators)
    stored = indicator_catalogue(store).set_index("code")
    assert stored["definition"].str.endswith("Reworded.").all()
