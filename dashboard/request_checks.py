"""Checks on what the browser sends to Dash's callbacks, so a malformed request gets a plain HTTP 400.

Every callback request (``POST /_dash-update-component``) names the callback by its output and carries the
inputs and state that callback declares, each an ``{id, property, value}`` object (a list of them for a
pattern-matching ``ALL``). The page only ever sends what its own components hold, so a request that does not
fit (a callback that does not exist, missing or extra inputs, a number of clicks that is text, a page
address that is a list, a stored context that is not an object, a value far bigger than any form holds)
did not come from the dashboard's pages as served: it is refused before any callback runs, with a message
the reader can act on, and logged as a warning without a traceback.

A well-formed request is passed on untouched: an error while handling it is a real fault, so it is never
hidden as a 400 but reported (HTTP 500, with its traceback in the log).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import dash
import flask

from dashboard.components import status

ENDPOINT = "_dash-update-component"
MESSAGE = "The page sent something the dashboard could not read; reload the page."
LOG = logging.getLogger(__name__)

MAX_TEXT = 20_000
"""The longest text any form field, address or stored setting may hold (the longest note is far shorter)."""


MAX_ITEMS = 2_000
"""The most items in one list (the most rows or fields a page shows is a few hundred)."""
MAX_DEPTH = 6

SCALAR = (str, int, float, bool, type(None))


class Malformed(ValueError):
    """The request does not have the shape the dashboard's pages send; the text says where."""


def _is_count(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _is_text(value: Any, limit: int = MAX_TEXT) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= limit)


def _is_scalar(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, SCALAR)


def _is_json(value: Any, depth: int = 0) -> bool:
    """Plain JSON of bounded depth, length and text size (what any Store or option list holds)."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, list):
        return len(value) <= MAX_ITEMS and all(_is_json(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return len(value) <= MAX_ITEMS and all(
            isinstance(key, str) and len(key) <= 200 and _is_json(item, depth + 1)
            for key, item in value.items()
        )
    return _is_scalar(value)


def _is_value(value: Any) -> bool:
    """A form control's value: a scalar (text, number, tick) or a flat list of them (a multi-choice)."""
    if isinstance(value, list):
        return len(value) <= MAX_ITEMS and all(_is_scalar(item) for item in value)
    return _is_scalar(value)


def _is_id(value: Any) -> bool:
    return (isinstance(value, str) and len(value) <= 200) or (
        isinstance(value, dict) and len(value) <= 10 and all(_is_scalar(item) for item in value.values())
    )


def _is_options(value: Any) -> bool:
    return value is None or (
        isinstance(value, list)
        and len(value) <= MAX_ITEMS
        and all(
            _is_scalar(item) or (isinstance(item, dict) and _is_json(item, MAX_DEPTH - 2)) for item in value
        )
    )


def _fields(
    required: Mapping[str, Callable[[Any], bool]], optional: Mapping[str, Callable[[Any], bool]] | None = None
) -> Callable[[Any], bool]:
    """A check for a stored object with exactly these fields (``optional`` ones may be missing)."""

    optional = optional or {}

    def check(value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, dict) or not set(required) <= set(value) <= set(required) | set(optional):
            return False
        return all({**required, **optional}[key](item) for key, item in value.items())

    return check


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _is_number(value: Any) -> bool:
    return value is None or (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    )


def _is_numbers(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= MAX_ITEMS and all(_is_number(item) for item in value)


def _is_rows(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) <= MAX_ITEMS
        and all(isinstance(row, dict) and _is_json(row, MAX_DEPTH - 2) for row in value)
    )


def _is_optional_text(value: Any) -> bool:
    return value is None or _is_name(value)


SCHEME = {"contract": _is_name, "year": _is_name}
STORE_SHAPES: dict[str, Callable[[Any], bool]] = {
    "payment-context": _fields(
        {**SCHEME, "version": lambda v: _is_count(v) and v is not None},
        {"palette": lambda v: v in status.PALETTES},
    ),
    "payment-defaults": _fields(
        {
            "values": lambda v: (
                isinstance(v, list) and len(v) <= MAX_ITEMS and all(_is_numbers(i) for i in v)
            ),
            "weights": _is_numbers,
        }
    ),
    "indicator-view": _fields(
        {"code": _is_name},
        {key: _is_optional_text for key in ("area", "view", "ci", "with", "baseline", "compare")},
    ),
    "payment-change-context": _fields(SCHEME),
    "payment-agree-context": _fields(SCHEME),
    "payment-setup-context": _fields({**SCHEME, "rows": _is_rows}),
    "payment-uplift-context": _fields({"contract": _is_name, "from_year": _is_name, "to_year": _is_name}),
    "upload-token": _is_optional_text,
    "upload-received": _fields({"token": _is_optional_text, "file_name": _is_optional_text}),
    "_pages_store": lambda value: value is None or isinstance(value, dict),
}
"""What each store the pages fill holds: the known fields, each of its type; anything else was not sent by
the page."""

PROPERTY_CHECKS: dict[str, Callable[[Any], bool]] = {
    "n_clicks": _is_count,
    "pathname": lambda value: isinstance(value, str) and value.startswith("/") and len(value) <= 2000,
    "search": _is_text,
    "href": _is_text,
    "className": _is_text,
    "value": _is_value,
    "id": _is_id,
    "options": _is_options,
}


def _component_name(component_id: Any) -> str:
    return str(component_id.get("type")) if isinstance(component_id, dict) else str(component_id)


def _check_value(component_id: Any, prop: str, value: Any) -> None:
    name = _component_name(component_id)
    if prop == "data":
        ok = _is_json(value) and STORE_SHAPES.get(name, _is_json)(value)
    else:
        ok = PROPERTY_CHECKS.get(prop, _is_json)(value)
    if not ok:
        raise Malformed(f"{name}.{prop} holds a value of the wrong type or size")


def _declared_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _check_entry(entry: Any, declared: Mapping[str, str]) -> None:
    """One input or state: an ``{id, property, value}`` object for a plain or ``MATCH`` id, a list of them
    for ``ALL``; the id and property those the callback declares."""
    wanted_id = _declared_id(declared["id"])
    items = entry if isinstance(entry, list) and isinstance(wanted_id, dict) else [entry]
    if len(items) > MAX_ITEMS:
        raise Malformed("too many items in one input")
    for item in items:
        if not isinstance(item, dict) or set(item) - {"id", "property", "value"}:
            raise Malformed("an input is not an {id, property, value} object")
        if item.get("property") != declared["property"]:
            raise Malformed(f"an input's property is not {declared['property']}")
        sent_id = item.get("id")
        if isinstance(wanted_id, dict):
            if not (
                isinstance(sent_id, dict) and _is_id(sent_id) and sent_id.get("type") == wanted_id["type"]
            ):
                raise Malformed(f"an input is not a {wanted_id['type']}")
            if set(sent_id) != set(wanted_id):
                raise Malformed(f"a {wanted_id['type']} id has the wrong keys")
        elif sent_id != wanted_id:
            raise Malformed(f"an input is not {wanted_id}")
        _check_value(sent_id, declared["property"], item.get("value"))


def _check_output(output: Any) -> None:
    if not (
        isinstance(output, dict) and _is_id(output.get("id")) and isinstance(output.get("property"), str)
    ):
        raise Malformed("an output is not an {id, property} object")


def _check_outputs(outputs: Any, declared: str) -> None:
    """The outputs as dash-renderer sends them: one object for a callback with one output, else a list with
    one entry per declared output (a list of objects for an ``ALL`` output)."""
    parts = declared[2:-2].split("...") if declared.startswith("..") else None
    if parts is None:
        return _check_output(outputs)
    if not isinstance(outputs, list) or len(outputs) != len(parts):
        raise Malformed("the request's outputs are not those of the callback")
    for output, part in zip(outputs, parts, strict=True):
        many = '["ALL"]' in part or '["ALLSMALLER"]' in part
        if many != isinstance(output, list):
            raise Malformed("an output is not of the callback's kind")
        for item in output if many else [output]:
            _check_output(item)
    return None


def check_body(body: Any, callback_map: Mapping[str, Any]) -> None:
    """Raise :class:`Malformed` unless ``body`` is a callback request the dashboard's pages could send."""
    if not isinstance(body, dict):
        raise Malformed("the request is not a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or "callback" not in callback_map.get(output, {}):
        # clientside callbacks are in the map too, but run in the browser: none is ever posted
        raise Malformed("the request names no callback of the dashboard")
    callback = callback_map[output]
    _check_outputs(body.get("outputs"), output)
    changed = body.get("changedPropIds", [])
    if not (
        isinstance(changed, list) and all(isinstance(item, str) and len(item) <= 1000 for item in changed)
    ):
        raise Malformed("changedPropIds is not a list of names")
    for key in ("inputs", "state"):
        sent = body.get(key, [])
        declared = callback.get(key, [])
        if not isinstance(sent, list) or len(sent) != len(declared):
            raise Malformed(f"the request's {key} are not those of the callback")
        for entry, wanted in zip(sent, declared, strict=True):
            _check_entry(entry, wanted)
    _check_pairs(body, callback)


WILDCARDS = (["ALL"], ["ALLSMALLER"])


def _wildcards(declared_id: Any) -> frozenset[str] | None:
    """The keys an ``ALL`` id leaves open (None for a plain or ``MATCH`` id)."""
    if not isinstance(declared_id, dict):
        return None
    keys = frozenset(key for key, value in declared_id.items() if value in WILDCARDS)
    return keys or None


def _filled(items: list, keys: frozenset[str]) -> list:
    return sorted(json.dumps([item["id"].get(key) for key in sorted(keys)]) for item in items)


def _check_pairs(body: dict, callback: Mapping[str, Any]) -> None:
    """Each ``ALL`` output is answered for the same components as the inputs and state that leave the same
    keys open (a form's result beside its button and fields): the page always renders them together, and
    Dash cannot answer outputs the callback does not return."""
    parts = body["output"][2:-2].split("...") if body["output"].startswith("..") else []
    outputs = body.get("outputs", [])
    for part, output in zip(parts, outputs if isinstance(outputs, list) else [], strict=False):
        keys = _wildcards(_declared_id(part.rsplit(".", 1)[0]))
        if keys is None:
            continue
        for key in ("inputs", "state"):
            for entry, wanted in zip(body.get(key, []), callback.get(key, []), strict=True):
                if _wildcards(_declared_id(wanted["id"])) == keys and _filled(entry, keys) != _filled(
                    output, keys
                ):
                    raise Malformed("an output's components are not those of its inputs")


def refused(reason: str) -> flask.Response:
    """The plain answer to a malformed request, logged as a warning (the reason, no traceback)."""
    LOG.warning("Refused a malformed callback request: %s", reason)
    return flask.Response(MESSAGE, status=400, mimetype="text/plain")


def guard_callbacks(app: dash.Dash) -> None:
    """Check every callback request before Dash runs it; answer a malformed one with :func:`refused`."""
    server = app.server
    endpoint = app.config.routes_pathname_prefix + ENDPOINT
    serve = server.view_functions[endpoint]

    def checked(*args: Any, **kwargs: Any) -> Any:
        body = flask.request.get_json(silent=True)
        try:
            check_body(body, app.callback_map)
        except Malformed as problem:
            return refused(str(problem))
        return serve(*args, **kwargs)

    server.view_functions[endpoint] = checked
