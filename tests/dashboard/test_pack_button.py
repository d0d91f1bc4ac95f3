"""The quarter view's "Build the committee pack" button: signed-in users only, built in the background with
its progress shown, and the files handed only to the person who asked for them."""

from __future__ import annotations

import time

import pytest

from dashboard import auth, create_app
from dashboard.components import pack_button
from dashboard.pack import jobs
from data.access import User
from tests.dashboard.monitoring.support import CAMBS, CCC, LATEST, monitoring_store
from tests.dashboard.pages import by_id, find, render, text
from tests.dashboard.signing_in import NAMES, signed_in_client

REQUEST = {"area": CAMBS, "as_at": "2025-09-30", "framework": "cyp-outcomes"}


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv(jobs.JOBS_VARIABLE, str(tmp_path / "jobs"))
    monkeypatch.setenv("KPI_PACK_LOG", str(tmp_path / "packs.json"))
    engine = monitoring_store()
    yield create_app(engine, cache_config={"CACHE_TYPE": "NullCache"}, public=True)
    engine.dispose()


def _button(page):
    [button] = find(page, lambda c: getattr(c, "id", None) == pack_button.BUTTON)
    return button


def test_only_a_signed_in_user_is_offered_the_button_and_a_forged_click_is_refused(app, monkeypatch):
    monkeypatch.setattr(auth, "current_user", lambda: auth.ANONYMOUS)
    page = render(app, "/quarter", contract=CCC, quarter=LATEST)
    assert _button(page).hidden is True
    assert text(by_id(page, "pack-sign-in")) == "Sign in to build the committee pack."
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        job, poll_off, message, _ = pack_button.start_build(1, REQUEST)
    assert job is None and poll_off is True and "Sign in" in text(message)
    assert not (jobs.jobs_folder()).exists()  # nothing was started


def _wait(app, job: str):
    """Poll as the page does until the build ends: (what the page shows then, every message's start)."""
    seen = set()
    for _ in range(240):
        with app.server.test_request_context("/_dash-update-component", method="POST"):
            shown, poll_off, _ = pack_button.poll(1, job)
        seen.add(text(shown).split(":")[0])
        if poll_off:
            return shown, seen
        assert "so far" in text(shown)
        time.sleep(0.5)
    raise AssertionError("the pack was not built within two minutes")


def test_a_click_builds_the_pack_in_the_background_and_only_its_owner_can_download_it(app, monkeypatch):
    viewer = signed_in_client(app, "viewer")
    officer = signed_in_client(app, "officer")
    page = viewer.get("/quarter")
    assert page.status_code == 200
    with monkeypatch.context() as signed_in:  # the callbacks see the viewer, as a request from them would
        signed_in.setattr(auth, "current_user", lambda: User(NAMES["viewer"], frozenset({"viewer"})))
        assert _button(render(app, "/quarter", contract=CCC, quarter=LATEST)).hidden is False
        with app.server.test_request_context("/_dash-update-component", method="POST"):
            job, poll_off, _, button_off = pack_button.start_build(1, REQUEST)
        assert job and poll_off is False and button_off is True  # the poll runs, the button waits
        shown, seen = _wait(app, job)
    assert "The committee pack is ready" in text(shown), text(shown)
    assert "Building the committee pack" in seen  # the page said what it was doing meanwhile
    [pdf_link] = find(shown, lambda c: getattr(c, "id", None) == "pack-pdf-link")
    [pptx_link] = find(shown, lambda c: getattr(c, "id", None) == "pack-pptx-link")

    response = viewer.get(pdf_link.href)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    assert viewer.get(pptx_link.href).data.startswith(b"PK")  # a PowerPoint file is a zip
    assert officer.get(pdf_link.href).status_code == 404  # someone else's pack
    assert app.server.test_client().get(pdf_link.href).status_code in (302, 404)  # not signed in
    assert viewer.get(f"/pack/{job}/../state.json").status_code == 404
