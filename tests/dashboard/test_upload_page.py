"""The upload page and the import history, driven as the browser would: the file goes to the upload route,
then through the page's callbacks; a preview writes nothing, Confirm loads exactly the previewed file, Cancel
discards it; only an administrator can roll an import back, after confirming what it will do (a forged
request from anyone else is refused with nothing written); and a viewer who goes to either page's address
gets a plain refusal, not a form."""

from __future__ import annotations

import io

import dash
import pytest

from dashboard import create_app, imports_callbacks, pending_uploads, upload_callbacks, upload_route
from dashboard.components.upload import preview as upload_preview
from dashboard.components.upload.history import CANCEL, CONFIRM, ROLL_BACK
from data import schema
from data.imports import history
from tests.dashboard.pages import by_id, find, props, render, route, text
from tests.dashboard.signing_in import NAMES, signed_in_as, signed_in_client, token
from tests.data.helpers import count_rows
from tests.data.upload_helpers import CAMBS, PBORO, provider_codes, return_bytes, value_of


@pytest.fixture
def engine(store):
    """An in-memory store holding the shipped catalogue (the shared ``store`` fixture)."""
    return store


@pytest.fixture
def app(engine, tmp_path):
    app = create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"})
    app.server.instance_path = str(tmp_path)
    return app


OFFICER = NAMES["officer"]


def _as(monkeypatch, name, role):
    signed_in_as(monkeypatch, name, role)


def _sent(app, content: bytes, name: str) -> dict:
    """Send the file to the upload route as the officer, as the page's script does (signed in once per
    app); what the script then puts in the page's store."""
    clients = app.server.extensions
    if "test-officer" not in clients:
        clients["test-officer"] = signed_in_client(app, "officer")
    answer = clients["test-officer"].post(
        upload_route.UPLOAD,
        data={upload_route.FIELD: (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def _good_and_bad(engine) -> bytes:
    code = provider_codes(engine)[0]
    return return_bytes(
        [[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""], [code, PBORO, "2025/26 Q1", 12, 10, "", "", ""]]
    )


def _callback(app, function, *args):
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        return function(*args)


def test_preview_then_confirm_loads_the_file(app, engine, monkeypatch):
    _as(monkeypatch, OFFICER, "officer")
    content = _good_and_bad(engine)
    errors, preview, _, token, hidden = _callback(
        app, upload_callbacks.preview_upload, _sent(app, content, "r.csv")
    )
    assert errors == [] and hidden is False
    shown = text(preview)
    assert "1 row will load: 1 new, 0 change a figure; 1 row is rejected." in shown
    rejected = text(by_id(preview, "upload-rejected"))
    assert (
        "Peterborough 2025/26 Q1 numerator 12, denominator 10 count 12 is more than the denominator 10"
        in rejected
    )
    code = provider_codes(engine)[0]
    assert value_of(engine, code, CAMBS, "2025/26 Q1") is None, "the preview wrote nothing"
    _, _, outcome, token_after, _ = _callback(app, upload_callbacks.confirm_upload, token)
    assert value_of(engine, code, CAMBS, "2025/26 Q1") == pytest.approx(90)
    assert "r.csv is loaded: 1 new, 0 changed, 0 unchanged, 1 rejected." in text(outcome)
    assert token_after is None
    with app.server.test_request_context("/"):
        assert pending_uploads.find(token) is None, "the waiting file is removed once loaded"


def test_the_preview_writes_numerators_and_denominators_as_counts(app, engine, monkeypatch):
    _as(monkeypatch, OFFICER, "officer")
    code = provider_codes(engine)[0]
    content = return_bytes([[code, CAMBS, "2025/26 Q1", 1560, 1800, "", "", ""]])
    _, preview, _, _, _ = _callback(app, upload_callbacks.preview_upload, _sent(app, content, "r.csv"))
    new_rows = text(by_id(preview, "upload-new"))
    assert "1,560 1,800" in new_rows and "1560.0" not in new_rows
    assert [upload_preview._count(n) for n in (12.25, 0.5, None)] == ["12.25", "0.5", "–"]


def test_cancel_writes_nothing_and_discards_the_file(app, engine, monkeypatch):
    _as(monkeypatch, OFFICER, "officer")
    before = [count_rows(engine, t) for t in (schema.observations, schema.import_batches)]
    *_, token, _ = _callback(app, upload_callbacks.preview_upload, _sent(app, _good_and_bad(engine), "r.csv"))
    _, _, outcome, _, _ = _callback(app, upload_callbacks.cancel_upload, token)
    assert "Nothing was loaded." in text(outcome)
    assert [count_rows(engine, t) for t in (schema.observations, schema.import_batches)] == before
    errors, *_ = _callback(app, upload_callbacks.confirm_upload, token)
    assert "There is no file waiting to be loaded" in text(errors)


def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message_and_discarded(app, monkeypatch):
    """Files of the wrong kind or size are refused by the upload route (test_upload_route.py); one that
    arrives but cannot be read is refused by the preview, and not kept."""
    _as(monkeypatch, OFFICER, "officer")
    sent = _sent(app, b"  ", "empty.csv")
    errors, preview, _, token, _ = _callback(app, upload_callbacks.preview_upload, sent)
    assert "empty.csv is empty." in text(errors) and preview == [] and token is None
    assert errors[0].role == "alert"
    with app.server.test_request_context("/"):
        assert pending_uploads.find(sent["token"]) is None


def test_excels_unicode_text_file_is_taken_and_the_page_says_the_limit(app, engine, monkeypatch):
    """A provider return saved by Excel as "Unicode text" (UTF-16, tab-separated, .txt) previews like a CSV;
    the hint gives the limit set by KPI_UPLOAD_MAX_MB."""
    monkeypatch.setenv("KPI_UPLOAD_MAX_MB", "150")
    _as(monkeypatch, OFFICER, "officer")
    as_csv = _good_and_bad(engine).decode("utf-8-sig")
    unicode_text = as_csv.replace(",", "\t").encode("utf-16")
    errors, preview, _, token, _ = _callback(
        app, upload_callbacks.preview_upload, _sent(app, unicode_text, "r.txt")
    )
    assert errors == [] and token is not None
    assert "1 row will load: 1 new, 0 change a figure; 1 row is rejected." in text(preview)
    page = render(app, "/upload")
    assert "saved as .csv, .tsv, .txt" in text(page) and "up to 150 MB" in text(page)
    assert props(by_id(page, upload_callbacks.FILE_FIELD))["data-max-bytes"] == str(150 * 1024 * 1024)


def test_a_viewer_sees_no_form_and_a_forged_preview_is_refused(app, engine, monkeypatch):
    """A viewer's own upload is refused by the route (test_upload_route.py); a preview forged with someone
    else's token is refused too, with nothing written."""
    sent = _sent(app, _good_and_bad(engine), "r.csv")
    _as(monkeypatch, "Vic Viewer", "viewer")
    page = render(app, "/upload")
    assert find(page, lambda c: getattr(c, "id", None) == "upload-file-drop") == []
    assert "Only an officer or an administrator can load data" in text(page)
    batches = count_rows(engine, schema.import_batches)
    errors, *_ = _callback(app, upload_callbacks.preview_upload, sent)
    assert f"This file was uploaded by {OFFICER}; only they can check and load it." in text(errors)
    errors, *_ = _callback(app, upload_callbacks.confirm_upload, sent["token"])
    assert f"This file was uploaded by {OFFICER}" in text(errors)
    assert count_rows(engine, schema.import_batches) == batches


def test_only_the_person_who_previewed_a_file_can_load_it(app, engine, monkeypatch):
    _as(monkeypatch, OFFICER, "officer")
    *_, token, _ = _callback(app, upload_callbacks.preview_upload, _sent(app, _good_and_bad(engine), "r.csv"))
    _as(monkeypatch, "Ola Other", "officer")
    errors, *_ = _callback(app, upload_callbacks.confirm_upload, token)
    assert f"uploaded by {OFFICER}; only they can check and load it" in text(errors)


def _load(app, monkeypatch, content: bytes, name: str = "r.csv"):
    _as(monkeypatch, OFFICER, "officer")
    *_, token, _ = _callback(app, upload_callbacks.preview_upload, _sent(app, content, name))
    _callback(app, upload_callbacks.confirm_upload, token)


def test_history_shows_the_import_and_only_an_admin_can_roll_it_back(app, engine, monkeypatch):
    _load(app, monkeypatch, _good_and_bad(engine))
    page = render(app, "/imports")
    row = text(by_id(page, "imports-table"))
    assert "r.csv" in row and OFFICER in row and "✓ Loaded" in row
    assert "Roll back this import" not in row
    assert "Row 2" not in text(page) and "count 12 is more than the denominator 10" in text(page)
    (batch,) = history(engine)
    batch_id = batch.batch_id
    asked, _, hidden = _callback(app, imports_callbacks.on_click, ROLL_BACK, batch_id)
    assert "Only an administrator can roll back an import" in text(asked) and hidden is False
    refused = _callback(app, imports_callbacks.roll_back, batch_id)
    assert "Only an administrator can roll back an import" in text(refused)
    code = provider_codes(engine)[0]
    assert value_of(engine, code, CAMBS, "2025/26 Q1") == pytest.approx(90)
    _as(monkeypatch, "Ada Admin", "admin")
    assert "Roll back this import" in text(by_id(render(app, "/imports"), "imports-table"))
    done = _callback(app, imports_callbacks.roll_back, batch_id)
    assert "the previous values of 0 figures were restored and 1 new figure removed" in text(done)
    assert value_of(engine, code, CAMBS, "2025/26 Q1") is None


def test_rolling_back_asks_first_with_the_counts_and_cancel_changes_nothing(app, engine, monkeypatch):
    code = provider_codes(engine)[0]
    _load(app, monkeypatch, return_bytes([[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]]), "first.csv")
    _load(
        app,
        monkeypatch,
        return_bytes(
            [
                [code, CAMBS, "2025/26 Q1", 95, 100, "", "", ""],  # changes a figure
                [code, CAMBS, "2025/26 Q2", 80, 100, "", "", ""],  # adds one
                [code, PBORO, "2025/26 Q2", 70, 100, "", "", ""],  # and another
            ]
        ),
        "second.csv",
    )
    second = next(b for b in history(engine) if b.file_name == "second.csv")
    _as(monkeypatch, "Ada Admin", "admin")
    panel, unchanged, hidden = _callback(app, imports_callbacks.on_click, ROLL_BACK, second.batch_id)
    words = text(panel)
    assert "Roll back the import of second.csv?" in words
    assert f"Loaded by {OFFICER} on" in words
    assert "This will restore the previous values of 1 figure and remove 2 new figures." in words
    assert [b.children for b in find(panel, lambda c: type(c).__name__ == "Button")] == [
        "Roll back",
        "Cancel",
    ]
    assert hidden is True and unchanged is dash.no_update, "the history steps aside meanwhile"
    assert value_of(engine, code, CAMBS, "2025/26 Q1") == pytest.approx(95), "asking changed nothing"

    cancelled, _, hidden = _callback(app, imports_callbacks.on_click, CANCEL, second.batch_id)
    assert text(cancelled) == "Nothing was rolled back." and hidden is False
    assert value_of(engine, code, CAMBS, "2025/26 Q2") == pytest.approx(80)
    assert [b.status for b in history(engine)] == ["loaded", "loaded"]

    done, _, hidden = _callback(app, imports_callbacks.on_click, CONFIRM, second.batch_id)
    assert "the previous values of 1 figure were restored and 2 new figures removed" in text(done)
    assert "Show the updated history" in text(done) and hidden is True, "the old history stays aside"
    assert "↶ Rolled back by Ada Admin" in text(by_id(render(app, "/imports"), "imports-table"))
    assert value_of(engine, code, CAMBS, "2025/26 Q1") == pytest.approx(90)
    assert value_of(engine, code, CAMBS, "2025/26 Q2") is None


def test_an_import_that_cannot_be_rolled_back_says_why_before_asking(app, engine, monkeypatch):
    code = provider_codes(engine)[0]
    _load(app, monkeypatch, return_bytes([[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]]), "first.csv")
    _load(app, monkeypatch, return_bytes([[code, CAMBS, "2025/26 Q1", 95, 100, "", "", ""]]), "later.csv")
    first = next(b for b in history(engine) if b.file_name == "first.csv")
    _as(monkeypatch, "Ada Admin", "admin")
    shown, _, hidden = _callback(app, imports_callbacks.on_click, ROLL_BACK, first.batch_id)
    assert "a later import, later.csv" in text(shown) and "Roll that import back first." in text(shown)
    assert hidden is False and find(shown, lambda c: type(c).__name__ == "Button") == []


def test_a_forged_confirmation_from_an_officer_is_refused_and_writes_nothing(app, engine, monkeypatch):
    code = provider_codes(engine)[0]
    _load(app, monkeypatch, return_bytes([[code, CAMBS, "2025/26 Q1", 90, 100, "", "", ""]]))
    (batch,) = history(engine)
    _as(monkeypatch, OFFICER, "officer")
    refused, _, hidden = _callback(app, imports_callbacks.on_click, CONFIRM, batch.batch_id)
    assert "Only an administrator can roll back an import" in text(refused) and hidden is False
    assert value_of(engine, code, CAMBS, "2025/26 Q1") == pytest.approx(90)
    assert [b.status for b in history(engine)] == ["loaded"]


@pytest.mark.parametrize(
    ("path", "refusal", "form"),
    [
        ("/upload", "Only an officer or an administrator can load data", "upload-file-drop"),
        ("/imports", "Only an officer or an administrator can see the import history", "Table"),
    ],
)
def test_a_viewer_going_to_the_address_gets_a_plain_refusal_not_a_form(app, path, refusal, form):
    client = signed_in_client(app, "viewer")
    content = route(client, path)["_pages_content"]["children"]
    words = str(content)
    assert refusal in words and "Sam Jones, a viewer" in words
    assert f"'type': '{form}'" not in words and f"'id': '{form}'" not in words
    assert "Roll back" not in words and "Load this file" not in words


@pytest.mark.parametrize("path", ["/upload", "/imports"])
def test_a_reader_of_a_public_dashboard_gets_the_same_refusal(engine, tmp_path, path):
    public = create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"}, public=True)
    public.server.instance_path = str(tmp_path)
    reader = public.server.test_client()
    assert reader.get(path).status_code == 200  # a public page, which hands out the security token
    reader.environ_base["HTTP_X_CSRFTOKEN"] = token(reader)
    content = str(route(reader, path)["_pages_content"]["children"])
    assert "Only an officer or an administrator can" in content
    assert "upload-file-drop" not in content and "imports-table" not in content
