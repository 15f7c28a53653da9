"""The on-disk caches parsing keeps (``geo.io.cached_pickle``): made once, read back, and
replaced, not piled up, when the code or data behind them changes."""

from __future__ import annotations

from geo.io import cached_pickle


def test_a_cache_is_made_once_and_read_back(tmp_path):
    calls = []

    def build():
        calls.append(1)
        return {"forms": [1, 2, 3]}

    path = tmp_path / "forms-aaaa.pkl"
    assert cached_pickle(path, build, "forms") == {"forms": [1, 2, 3]}
    assert cached_pickle(path, build, "forms") == {"forms": [1, 2, 3]}
    assert len(calls) == 1 and path.exists()


def test_a_new_key_replaces_the_old_cache_of_its_kind_only(tmp_path):
    cached_pickle(tmp_path / "forms-aaaa.pkl", lambda: 1, "forms")
    cached_pickle(tmp_path / "spellings-aaaa.pkl", lambda: 2, "spellings")
    (tmp_path / "forms-extra-aaaa.pkl").write_bytes(b"another kind")
    cached_pickle(tmp_path / "forms-bbbb.pkl", lambda: 3, "forms")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "forms-bbbb.pkl", "forms-extra-aaaa.pkl", "spellings-aaaa.pkl"]


def test_an_unreadable_cache_is_made_again(tmp_path):
    path = tmp_path / "forms-aaaa.pkl"
    path.write_bytes(b"not a pickle")
    assert cached_pickle(path, lambda: [4], "forms") == [4]
    assert cached_pickle(path, lambda: [5], "forms") == [4]
