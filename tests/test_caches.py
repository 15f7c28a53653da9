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


def test_new_keys_replace_the_oldest_caches_of_their_kind_only(tmp_path):
    import os

    for n, key in enumerate("abcd"):
        cached_pickle(tmp_path / f"forms-{key}.pkl", lambda: n, "forms")
        os.utime(tmp_path / f"forms-{key}.pkl", (1000 + n, 1000 + n))  # made in this order
    cached_pickle(tmp_path / "spellings-a.pkl", lambda: 2, "spellings")
    (tmp_path / "forms-extra-a.pkl").write_bytes(b"another kind")
    assert cached_pickle(tmp_path / "forms-a.pkl", lambda: 9, "forms") == 0  # read: now the newest
    cached_pickle(tmp_path / "forms-e.pkl", lambda: 4, "forms")  # a fifth key: the oldest goes
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "forms-a.pkl", "forms-c.pkl", "forms-d.pkl", "forms-e.pkl", "forms-extra-a.pkl", "spellings-a.pkl"]


def test_an_unreadable_cache_is_made_again(tmp_path):
    path = tmp_path / "forms-aaaa.pkl"
    path.write_bytes(b"not a pickle")
    assert cached_pickle(path, lambda: [4], "forms") == [4]
    assert cached_pickle(path, lambda: [5], "forms") == [4]
