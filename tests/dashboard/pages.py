"""Shared helpers for the page tests: render a page as Dash builds it, and read what a user would read.

A page is rendered by calling its registered layout with the link's query values inside a request for its
path, exactly as Dash's page router does; the helpers then walk the component tree.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import dash
from plotly.utils import PlotlyJSONEncoder


def render(app: dash.Dash, path: str, **query: Any) -> Any:
    """The page at ``path`` (a fixed path such as "/", or a real path such as "/indicator/x") as Dash builds
    it for a link with ``query``."""
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if page["path"] == path:
            arguments = query
        elif template and path.startswith(template.split("<", 1)[0]):
            name = template.split("<", 1)[1].split(">", 1)[0]
            arguments = {name: path[len(template.split("<", 1)[0]) :], **query}
        else:
            continue
        with app.server.test_request_context(path):
            return page["layout"](**arguments)
    raise LookupError(f"no page is registered for {path}")


def to_json(component: Any) -> str:
    """The component tree as Dash sends it to the browser (fails if it cannot be serialised)."""
    return json.dumps(component, cls=PlotlyJSONEncoder)


def text(node: Any) -> str:
    """All the text in a component tree, joined by single spaces."""
    pieces: list[str] = []

    def walk(item: Any) -> None:
        if item is None:
            return
        if isinstance(item, str | int | float):
            pieces.append(str(item))
        elif isinstance(item, list | tuple):
            for child in item:
                walk(child)
        else:
            walk(getattr(item, "children", None))

    walk(node)
    return " ".join(" ".join(pieces).split())


def find(node: Any, predicate: Callable[[Any], bool]) -> list:
    """Every component in the tree for which ``predicate`` is true, in document order."""
    found = []

    def walk(item: Any) -> None:
        if isinstance(item, list | tuple):
            for child in item:
                walk(child)
        elif hasattr(item, "to_plotly_json"):
            if predicate(item):
                found.append(item)
            walk(getattr(item, "children", None))

    walk(node)
    return found


def props(component: Any) -> dict:
    """A component's properties, including ``data-*`` and ``aria-*`` attributes."""
    return component.to_plotly_json()["props"]


def by_id(node: Any, wanted: str) -> Any:
    """The one component with id ``wanted`` (fails if there is none or more than one)."""
    [component] = find(node, lambda c: getattr(c, "id", None) == wanted)
    return component


def ids(node: Any) -> list[str]:
    """Every component id in the tree (pattern-matching ids as their JSON), in document order."""
    found = find(node, lambda c: getattr(c, "id", None) is not None)
    return [c.id if isinstance(c.id, str) else json.dumps(c.id, sort_keys=True) for c in found]


def duplicate_ids(node: Any) -> list[str]:
    """Ids used by more than one component in the tree (a browser then finds only the first)."""
    return sorted(name for name, n in Counter(ids(node)).items() if n > 1)


def route(client: Any, pathname: str, search: str = "") -> dict:
    """Ask the app's page router (the callback the browser calls) for a page, as the browser would."""
    payload = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"]
