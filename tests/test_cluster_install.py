"""Issue 20, point 14: an installable package, and ``ingest --scheduler`` on a cluster started apart.

The scheduler and the workers are separate ``dask scheduler`` / ``dask worker``
processes on 127.0.0.1, started from a folder outside the checkout, so they
import geo only if it is installed there (here: put on their ``PYTHONPATH``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from tests.browser.conftest import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_e0b432954ff16db6.txt"


def _env(pythonpath: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


class Cluster:
    def __init__(self, tmp: Path, scheduler_path: str | None, worker_path: str | None):
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs = []
        logs = tmp / "logs"
        logs.mkdir(exist_ok=True)
        self._start(["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"],
                    scheduler_path, logs / "scheduler.log", tmp)
        self._wait_port()
        self._start(["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                     "--host", "127.0.0.1"], worker_path, logs / "worker.log", tmp)
        self._wait_workers(1)

    def _start(self, args, pythonpath, log, cwd):
        with open(log, "wb") as fh:
            self.procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0],
                                                *args[1:]] if False else
                                               [shutil.which("dask") or "dask", *args],
                                               cwd=cwd, env=_env(pythonpath), stdout=fh, stderr=subprocess.STDOUT))

    def _wait_port(self):
        import socket

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.3)
        raise RuntimeError("the scheduler did not start")

    def _wait_workers(self, n):
        from distributed import Client

        with Client(self.address, timeout="30s") as c:
            c.wait_for_workers(n, timeout=60)

    def stop(self):
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def _ingest(address: str, tmp: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "ingest", str(SEED), "--scheduler", address,
                           "--store", f"sqlite:///{tmp / 'store.sqlite'}", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=_env(None))


@pytest.fixture
def cluster(tmp_path):
    made = []

    def start(scheduler_path, worker_path):
        c = Cluster(tmp_path, scheduler_path, worker_path)
        made.append(c)
        return c

    yield start
    for c in made:
        c.stop()


def _one_line(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 2, run.stderr
    lines = [x for x in run.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    return lines[0]


def test_workers_without_geo_are_named_in_one_line(cluster, tmp_path):
    c = cluster(str(ROOT), None)
    line = _one_line(_ingest(c.address, tmp_path))
    assert "worker" in line and "cannot import geo" in line and "docs/ingest.md" in line


def test_a_scheduler_without_geo_is_named_in_one_line(cluster, tmp_path):
    c = cluster(None, str(ROOT))
    line = _one_line(_ingest(c.address, tmp_path))
    assert "scheduler" in line and "cannot import geo" in line


def test_another_version_of_geo_is_refused(cluster, tmp_path):
    fake = tmp_path / "old" / "geo"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('__version__ = "0.0.9"\n')
    c = cluster(str(ROOT), str(fake.parent))
    line = _one_line(_ingest(c.address, tmp_path))
    assert "geo 0.0.9" in line and "this is geo" in line


def test_with_geo_everywhere_the_reports_are_ingested(cluster, tmp_path):
    c = cluster(str(ROOT), str(ROOT))
    run = _ingest(c.address, tmp_path)
    assert run.returncode == 0, run.stderr
    from geo.store.sqlite import open_store

    store = open_store(f"sqlite:///{tmp_path / 'store.sqlite'}", seed=False)
    try:
        assert len(store.list_reports()) == 1 and store.count_events() >= 10
    finally:
        store.close()


def test_pip_install_gives_the_package_and_the_sitmap_command(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "geo", src / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    py = env_dir / "bin" / "python"
    run = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--quiet",
                          "--disable-pip-version-check", str(src)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path, env=_env(None))
    assert run.returncode == 0, run.stderr
    where = subprocess.run([str(py), "-c", "import geo, geo.exchange.imported; print(geo.__file__, geo.__version__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=_env(None))
    assert str(env_dir) in where.stdout and "0.1.0" in where.stdout, where.stderr
    helped = subprocess.run([str(env_dir / "bin" / "sitmap"), "--help"], capture_output=True, text=True,
                            cwd=tmp_path, env=_env(None))
    assert helped.returncode == 0 and "ingest" in helped.stdout
