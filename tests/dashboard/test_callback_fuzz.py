"""Malformed requests to every callback of the dashboard never make a server error.

Each callback the app registers is posted to ``/_dash-update-component`` by a signed-in admin (with the CSRF
header), with payloads built from what the pages really hold (gathered by rendering every page through
Dash's own page callback) and then broken: values of the wrong type, nested junk, huge text, unknown codes,
missing or extra inputs, and bodies that are not a callback request at all. Whatever is sent, the answer is
never HTTP 500 and nothing is logged with a traceback; a request that is not of the shape the pages send is
answered 400 with the plain message.

``KPI_FUZZ_EXAMPLES`` sets how many payloads each callback gets (a few by default, so the file runs in well
under a minute; ``make fuzz`` sends thousands).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import create_app, request_checks
from tests.dashboard.payment.support import C2_INDICATOR, CCC, YEAR, payment_store
from tests.dashboard.signing_in import signed_in_client

EXAMPLES = int(os.environ.get("KPI_FUZZ_EXAMPLES", "6"))
# The app's server-side callbacks: each gets its own numbered test below, and the count is checked, so a
# callback added or removed fails test_every_callback_is_fuzzed until this number is changed with it.
CALLBACKS = 32
UPDATE = "/_dash-update-component"
ROUTER = ".._pages_content.children..._pages_store.data.."
PAGES = (
    "/",
    "/scorecard",
    "/summary",
    "/areas-table",
    f"/indicator/{C2_INDICATOR}",
    "/quarter",
    "/exceptions",
    "/payment",
    f"/payment?contract={CCC}&year={YEAR}",
    "/upload",
    "/imports",
    "/data-sources",
    "/indicators",
    "/accessibility",
    "/no-such-page",
)


@pytest.fixture(scope="module")
def app() -> Iterator[Any]:
    engine = payment_store()
    yield create_app(engine, cache_config={"CACHE_TYPE": "NullCache"})
    engine.dispose()


@pytest.fixture(scope="module")
def client(app):
    return signed_in_client(app, "admin")


@pytest.fixture(scope="module")
def dependencies(client) -> list[dict]:
    # Dash lists a callback once for each app built in this process (its list of callbacks is global), so
    # each is taken once, by its output.
    listed = client.get("/_dash-dependencies").get_json()
    return list({dependency["output"]: dependency for dependency in listed}.values())


def _declared(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _output(part: str) -> dict:
    component, prop = part.rsplit(".", 1)
    return {"id": _declared(component), "property": prop.split("@", 1)[0]}


def _outputs(output: str, seen: dict | None = None) -> Any:
    """The outputs as dash-renderer sends them (``ALL`` outputs as the page's components of that kind)."""
    if not output.startswith(".."):
        return _output(output)
    found: list = []
    for part in output[2:-2].split("..."):
        entry = _output(part)
        if isinstance(entry["id"], dict) and ["ALL"] in entry["id"].values():
            kind = entry["id"]["type"]
            ids = {
                json.dumps(c, sort_keys=True)
                for (name, _), seeds in (seen or {}).items()
                if name == kind
                for c, _ in seeds
            }
            found.append([{"id": json.loads(i), "property": entry["property"]} for i in sorted(ids)])
        else:
            found.append(entry)
    return found


def _walk(node: Any, seen: dict) -> None:
    """Record every (component name, property) -> [values, ids] in a rendered component tree."""
    if isinstance(node, list):
        for item in node:
            _walk(item, seen)
        return
    if not isinstance(node, dict):
        return
    props = node.get("props")
    if isinstance(props, dict) and "id" in props:
        component = props["id"]
        name = component.get("type") if isinstance(component, dict) else component
        for prop, value in props.items():
            if prop != "children":
                seen.setdefault((name, prop), []).append((component, value))
    for value in (props or node).values() if isinstance(props or node, dict) else ():
        _walk(value, seen)


@pytest.fixture(scope="module")
def seen(client, dependencies) -> dict:
    """What the pages really hold, by (component name, property): the seeds the payloads break."""
    router = next(d for d in dependencies if d["output"] == ROUTER)
    found: dict = {}
    for page in PAGES:
        path, _, query = page.partition("?")
        body = {
            "output": router["output"],
            "outputs": _outputs(router["output"]),
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": f"?{query}" if query else ""},
            ],
            "changedPropIds": ["_pages_location.pathname"],
        }
        response = client.post(UPDATE, json=body)
        assert response.status_code == 200, (page, response.get_data(as_text=True)[:300])
        _walk(response.get_json(), found)
    return found


JUNK_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["", "ZZZ", "xx-unknown-code", "2099/00", "../../etc", "<script>", "1e999", "-1", "nan"]),
    st.just("x" * 200_000),
)
JUNK = st.recursive(
    JUNK_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def _value(draw: st.DrawFn, seeds: list) -> Any:
    """A value the page holds, the same broken in one place, or junk."""
    if seeds and draw(st.booleans()):
        value = draw(st.sampled_from(seeds))[1]
        if isinstance(value, dict) and value and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(value)))
            broken = dict(value)
            if draw(st.booleans()):
                broken[key] = draw(JUNK)
            else:
                del broken[key]
            return broken
        return value
    return draw(JUNK)


@st.composite
def _entry(draw: st.DrawFn, declared: dict, seen: dict) -> Any:
    wanted = _declared(declared["id"])
    prop = declared["property"]
    if not isinstance(wanted, dict):
        return {"id": wanted, "property": prop, "value": draw(_value(seen.get((wanted, prop), [])))}
    seeds = seen.get((wanted["type"], prop), [])
    ids = [component for component, _ in seeds] or [
        {
            key: "x" if value in (["ALL"], ["MATCH"], ["ALLSMALLER"]) else value
            for key, value in wanted.items()
        }
    ]
    items = [
        {"id": draw(st.sampled_from(ids)), "property": prop, "value": draw(_value(seeds))}
        for _ in range(draw(st.integers(0, 3)))
    ]
    if ["MATCH"] in wanted.values():
        return items[0] if items else {"id": ids[0], "property": prop, "value": None}
    return items


@st.composite
def _payload(draw: st.DrawFn, dependency: dict, seen: dict) -> Any:
    """A request for ``dependency``'s callback, broken in one of the ways a crafted request can be."""
    inputs = [draw(_entry(declared, seen)) for declared in dependency["inputs"]]
    state = [draw(_entry(declared, seen)) for declared in dependency["state"]]
    body: dict = {
        "output": dependency["output"],
        "outputs": _outputs(dependency["output"], seen),
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{dependency['inputs'][0]['id']}.{dependency['inputs'][0]['property']}"],
    }
    how = draw(
        st.sampled_from(["values", "values", "values", "drop", "retype", "junk body", "unknown output"])
    )
    if how == "drop":
        key = draw(st.sampled_from(["inputs", "state", "changedPropIds", "outputs", "output"]))
        if body.get(key) and isinstance(body[key], list) and draw(st.booleans()):
            body[key] = body[key][:-1]
        else:
            body.pop(key)
    elif how == "retype":
        key = draw(st.sampled_from(["inputs", "state", "changedPropIds", "outputs", "output"]))
        body[key] = draw(JUNK)
    elif how == "junk body":
        return draw(JUNK)
    elif how == "unknown output":
        body["output"] = draw(
            st.sampled_from(["nothing.children", "..a.b...c.d..", "payment-results.children@x"])
        )
    return body


def _callback_ids(dependencies: list[dict]) -> list[str]:
    return [d["output"] for d in dependencies]


def _names(dependencies: list[dict]) -> set[str]:
    entries = [entry for d in dependencies for entry in d["inputs"] + d["state"]]
    return {str(_declared(e["id"])["type"]) if e["id"].startswith("{") else e["id"] for e in entries}


def test_every_callback_is_fuzzed(dependencies):
    assert len(dependencies) == CALLBACKS, f"set CALLBACKS to {len(dependencies)} so every callback is fuzzed"
    assert {
        "payment-context",
        "payment-defaults",
        "indicator-view",
        "_pages_location",
        "upload-received",
    } <= _names(dependencies)


@pytest.mark.parametrize("index", range(CALLBACKS))
def test_malformed_requests_never_make_a_server_error(client, dependencies, seen, index, caplog):
    dependency = dependencies[index]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=EXAMPLES <= 50,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(payload=_payload(dependency, seen))
    def send(payload: Any) -> None:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            response = client.post(UPDATE, data=json.dumps(payload), content_type="application/json")
        answer = response.get_data(as_text=True)
        assert response.status_code != 500, (dependency["output"], json.dumps(payload)[:2000], answer[:500])
        assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR], (
            dependency["output"],
            json.dumps(payload)[:2000],
        )
        assert "Traceback" not in answer
        if response.status_code == 400 and "security token" not in answer:
            assert answer == request_checks.MESSAGE

    send()


def test_a_malformed_request_gets_the_plain_message_and_a_warning(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.post(UPDATE, json={"output": "payment-context.data", "inputs": "junk"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == request_checks.MESSAGE
    (record,) = [r for r in caplog.records if r.name == request_checks.__name__]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert re.search("names no callback", record.getMessage())


def test_a_well_formed_request_still_works(client, dependencies, seen):
    # the page's own request for the payment page is answered as before, so the checks refuse nothing real
    router = next(d for d in dependencies if d["output"] == ROUTER)
    body = {
        "output": router["output"],
        "outputs": _outputs(router["output"]),
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/payment"},
            {"id": "_pages_location", "property": "search", "value": f"?contract={CCC}&year={YEAR}"},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }
    response = client.post(UPDATE, json=body)
    assert response.status_code == 200
    assert "payment-context" in response.get_data(as_text=True)


def test_a_fault_while_answering_a_well_formed_request_is_not_hidden(app, client, monkeypatch, caplog):
    # the checks only refuse what the pages could not have sent: a fault in a callback stays a server error
    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("a fault in the dashboard")

    monkeypatch.setitem(app.callback_map[ROUTER], "callback", broken)
    body = {
        "output": ROUTER,
        "outputs": _outputs(ROUTER),
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/"},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }
    with caplog.at_level(logging.ERROR):
        response = client.post(UPDATE, json=body)
    assert response.status_code == 500
    assert any(record.exc_info for record in caplog.records)
