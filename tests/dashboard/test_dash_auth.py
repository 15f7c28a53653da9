"""Issue 20, point 13: when sign-in is configured, edits need it and record the account."""

from __future__ import annotations

import pytest

from dashboard import auth


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "users.txt"
    auth.add_user(path, "olena", "correct horse battery")
    monkeypatch.setenv(auth.USERS_ENV, str(path))
    return path


def test_the_users_file_keeps_only_a_hash(users):
    text = users.read_text()
    assert text.startswith("olena:$argon2id$") and "correct horse" not in text
    assert auth.check_password(users, "olena", "correct horse battery")
    assert not auth.check_password(users, "olena", "wrong")
    assert not auth.check_password(users, "mallory", "correct horse battery")


def test_unconfigured_is_the_single_user_default_and_says_so(app):
    at = app.run()
    assert not at.exception
    assert any("Single-user mode" in c.value for c in at.sidebar.caption)
    assert at.text_input(key="analyst_name") is not None
    assert at.button(key="edit_mark_false") is not None


def test_a_viewer_sees_the_map_but_cannot_edit(app, users, map_args):
    at = app.run()
    assert not at.exception
    assert map_args(at)["feature_group"]  # the map is drawn
    assert any("Viewing only" in c.value for c in at.sidebar.caption)
    keys = {b.key for b in at.button}
    assert not {"edit_mark_false", "edit_retype", "paste_add"} & keys
    assert any("Sign in" in i.value for i in at.info)


def test_a_signed_in_edit_records_the_account_not_a_typed_name(app, users):
    from geo.store.sqlite import open_store

    at = app.run()
    at.text_input(key="auth_user").set_value("mallory")
    at.text_input(key="auth_password").set_value("guess")
    at.button(key="auth_sign_in").click().run()
    assert not {"edit_mark_false"} & {b.key for b in at.button}
    at.text_input(key="auth_user").set_value("olena")
    at.text_input(key="auth_password").set_value("correct horse battery")
    at.button(key="auth_sign_in").click().run()
    assert any("Signed in as" in c.value for c in at.sidebar.caption)
    at.session_state["analyst_name"] = "someone else"  # a typed name does not count
    at.button(key="edit_mark_false").click().run()
    assert not at.exception
    store = open_store(str(next(at.store_dir.glob("*.sqlite"))))
    try:
        trail = store.corrections()
    finally:
        store.close()
    assert [c.analyst for c in trail] == ["olena"]
