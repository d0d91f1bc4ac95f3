"""The upload route: a file is streamed to disk for a signed-in officer and answered with a token the preview
reads; anyone not signed in, without the security token, or not allowed to load data is refused, and so is a
file over the page's limit or of a kind the dashboard does not read, each in words, with nothing kept."""

from __future__ import annotations

import io

import pytest

from dashboard import create_app, pending_uploads, upload_callbacks, upload_route
from tests.dashboard.pages import text
from tests.dashboard.signing_in import NAMES, signed_in_as, signed_in_client
from tests.data.upload_helpers import CAMBS, provider_codes, return_bytes


@pytest.fixture
def engine(store):
    """An in-memory store holding the shipped catalogue (the shared ``store`` fixture)."""
    return store


@pytest.fixture
def app(engine, tmp_path, monkeypatch):
    monkeypatch.setenv(pending_uploads.FOLDER_VARIABLE, str(tmp_path / "uploads"))
    return create_app(engine, cache_config={"CACHE_TYPE": "SimpleCache"})


def _post(client, content: bytes, name: str = "return.csv"):
    return client.post(
        upload_route.UPLOAD,
        data={upload_route.FIELD: (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _waiting_files(tmp_path) -> list[str]:
    folder = tmp_path / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_officers_file_is_kept_for_them_and_previewed(app, engine, tmp_path, monkeypatch):
    content = return_bytes([[provider_codes(engine)[0], CAMBS, "2025/26 Q1", 90, 100, "", "", ""]])
    answer = _post(signed_in_client(app, "officer"), content)
    assert answer.status_code == 200
    token = answer.get_json()["token"]
    assert answer.get_json()["file_name"] == "return.csv"
    with app.server.test_request_context("/"):
        kept = pending_uploads.find(token)
    assert kept is not None and kept.content == content and kept.uploaded_by == NAMES["officer"]

    signed_in_as(monkeypatch, NAMES["officer"], "officer")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        errors, preview, _, waiting, _ = upload_callbacks.preview_upload({"token": token})
    assert errors == [] and waiting == token
    assert "1 row will load: 1 new, 0 change a figure; 0 rows are rejected." in text(preview)

    signed_in_as(monkeypatch, "Ola Other", "officer")
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        errors, *_ = upload_callbacks.preview_upload({"token": token})
    assert f"This file was uploaded by {NAMES['officer']}; only they can check and load it." in text(errors)


def test_without_signing_in_the_file_is_refused(app, tmp_path):
    client = app.server.test_client()
    client.get("/sign-in")  # a visitor's session has a security token too
    answer = _post(client, b"a,b\n1,2\n")
    assert answer.status_code == 401 and answer.get_data(as_text=True) == "Sign in to use the dashboard."
    assert _waiting_files(tmp_path) == []


def test_a_viewer_is_refused(app, tmp_path):
    answer = _post(signed_in_client(app, "viewer"), b"a,b\n1,2\n")
    assert answer.status_code == 403
    assert answer.get_data(as_text=True) == "Only an officer or an administrator can load data."
    assert _waiting_files(tmp_path) == []


def test_without_the_security_token_the_file_is_refused(app, tmp_path):
    client = signed_in_client(app, "officer")
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    answer = _post(client, b"a,b\n1,2\n")
    assert answer.status_code == 400 and "did not carry the dashboard's security token" in answer.get_data(
        as_text=True
    )
    assert _waiting_files(tmp_path) == []


def test_a_file_over_the_limit_is_refused_as_it_arrives(app, tmp_path, monkeypatch):
    monkeypatch.setenv(upload_callbacks.MAX_MB_VARIABLE, "1")
    client = signed_in_client(app, "officer")
    answer = _post(client, b"a,b\n" + b"1,2\n" * (257 * 1024), "big.csv")  # just over 1 MB
    assert answer.status_code == 413
    assert answer.get_data(as_text=True) == (
        "big.csv is larger than 1 MB, the most this page takes. Load it with 'kpi import' on the server, or "
        "split it into smaller files and upload each one."
    )
    assert _waiting_files(tmp_path) == [], "nothing of it is kept"
    much_bigger = _post(client, b"1,2\n" * (1024 * 1024), "huge.csv")  # 4 MB: refused before reading
    assert much_bigger.status_code == 413
    assert much_bigger.get_data(as_text=True).startswith("The file is larger than 1 MB")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("return.pdf", "return.pdf is not a file the dashboard reads."),
        ("return.xls", "return.xls is an Excel 97-2003 workbook (.xls), which the dashboard cannot read."),
    ],
)
def test_a_file_of_another_kind_is_refused_in_words(app, tmp_path, name, words):
    answer = _post(signed_in_client(app, "officer"), b"%PDF", name)
    assert answer.status_code == 415 and words in answer.get_data(as_text=True)
    assert _waiting_files(tmp_path) == []


def test_a_form_without_a_file_is_refused(app):
    client = signed_in_client(app, "officer")
    answer = client.post(upload_route.UPLOAD, data={"note": "x"}, content_type="multipart/form-data")
    assert answer.status_code == 400 and answer.get_data(as_text=True) == "Choose a file to upload."
