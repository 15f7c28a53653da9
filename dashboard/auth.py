"""Who may edit: sign-in when it is configured, the single-user default when it is not.

Three modes, chosen by configuration (``docs/security.md``):

``oidc``
    ``.streamlit/secrets.toml`` has an ``[auth]`` section: Streamlit's
    ``st.login`` signs analysts in with an OpenID Connect provider, and an
    edit records the account's e-mail (or name).
``local``
    ``SITMAP_USERS`` names a users file, one ``name:argon2-hash`` a line,
    for offline teams (``python -m dashboard.auth add NAME`` writes one).
``single``
    Neither: the embedded single-user default.  Anyone with the page may
    edit, and the name typed in the editor is recorded as it is; the
    sidebar says so.

When sign-in is configured, a viewer who is not signed in sees the map,
the status and the downloads, but no editor, intake or import.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path

import streamlit as st

USERS_ENV = "SITMAP_USERS"
_SIGNED_IN = "_auth_account"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets file, or an unreadable one: not configured)
        return False


def users_file() -> Path | None:
    value = os.environ.get(USERS_ENV, "").strip()
    return Path(value) if value else None


def mode() -> str:
    """``"oidc"``, ``"local"`` or ``"single"`` (see the module's docstring)."""
    if _oidc_configured():
        return "oidc"
    return "local" if users_file() is not None else "single"


def read_users(path: Path) -> dict[str, str]:
    """Name -> argon2 hash, from a users file (blank lines and ``#`` comments skipped)."""
    users = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and ":" in line:
            name, hashed = line.split(":", 1)
            users[name.strip()] = hashed.strip()
    return users


def check_password(path: Path, name: str, password: str) -> bool:
    """Whether ``password`` is ``name``'s in the users file."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hashed = read_users(path).get(name.strip()) if path.is_file() else None
    if not hashed:
        PasswordHasher().hash(password)  # about as slow as a real check: names are not probed by timing
        return False
    try:
        return PasswordHasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def current_account() -> str | None:
    """The signed-in account (``None``: nobody, or the single-user mode)."""
    kind = mode()
    if kind == "oidc":
        user = st.user
        if not user.is_logged_in:
            return None
        return str(user.get("email") or user.get("name") or user.get("sub"))
    if kind == "local":
        return st.session_state.get(_SIGNED_IN)
    return None


def can_edit() -> bool:
    """Edits need a signed-in account when sign-in is configured; anyone may edit otherwise."""
    return mode() == "single" or current_account() is not None


def _sign_in() -> None:
    path = users_file()
    name = (st.session_state.get("auth_user") or "").strip()
    if path is not None and check_password(path, name, st.session_state.get("auth_password") or ""):
        st.session_state[_SIGNED_IN] = name
        st.session_state["_auth_error"] = None
    else:
        time.sleep(1.0)  # slows guessing
        st.session_state["_auth_error"] = "Wrong name or password."
    st.session_state["auth_password"] = ""


def _sign_out() -> None:
    st.session_state.pop(_SIGNED_IN, None)


def render_sign_in() -> None:
    """The sidebar's account box: who is signed in, or how to sign in, or that there is no sign-in."""
    kind = mode()
    if kind == "single":
        st.caption("Single-user mode: sign-in is not configured, so anyone with this page can edit, "
                   "and edits record the name typed in the editor (see docs/security.md).")
        return
    account = current_account()
    if account:
        st.caption(f"Signed in as **{_md(account)}**: your edits are recorded under this account.")
        if kind == "oidc":
            st.button("Sign out", key="auth_sign_out", on_click=st.logout)
        else:
            st.button("Sign out", key="auth_sign_out", on_click=_sign_out)
        return
    st.caption("Viewing only: sign in to edit events, add reports or import layers.")
    if kind == "oidc":
        st.button("Sign in", key="auth_sign_in", on_click=st.login, type="primary")
        return
    st.text_input("Name", key="auth_user")
    st.text_input("Password", key="auth_password", type="password")
    st.button("Sign in", key="auth_sign_in", on_click=_sign_in, type="primary")
    if st.session_state.get("_auth_error"):
        st.error(st.session_state["_auth_error"])


def _md(text: str) -> str:
    from dashboard.safehtml import md

    return md(text)


def add_user(path: Path, name: str, password: str) -> None:
    """Add ``name`` (or change its password) in a users file, storing only an argon2 hash."""
    from argon2 import PasswordHasher

    if not name or ":" in name or name != name.strip():
        raise ValueError("a name may not be empty, contain ':' or start or end with spaces")
    users = read_users(path) if path.is_file() else {}
    users[name] = PasswordHasher().hash(password)
    from geo import io

    io.atomic_write_text(path, "".join(f"{n}:{h}\n" for n, h in users.items()))


def main(argv: list[str]) -> int:
    """``python -m dashboard.auth add NAME [--file PATH]``: asks for the password twice."""
    if len(argv) < 2 or argv[0] != "add":
        print("usage: python -m dashboard.auth add NAME [--file USERS_FILE]", file=sys.stderr)
        return 2
    path = Path(argv[argv.index("--file") + 1]) if "--file" in argv else users_file()
    if path is None:
        print(f"error: give --file or set {USERS_ENV}", file=sys.stderr)
        return 2
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Again: ") or len(password) < 8:
        print("error: the passwords differ or are shorter than 8 characters", file=sys.stderr)
        return 2
    add_user(path, argv[1], password)
    print(f"{argv[1]} -> {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
