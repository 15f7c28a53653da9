"""Hostile reports in a real browser: no payload runs, every one still shows as text.

The store holds one report per payload in ``tests/data/xss_payloads.txt``: the
payload sits in the sentences that become event quotes (popups), in an
attribution (popups and the place status), in a capture headline (the
sidebar) and in the report's name (popups, the report list, the source
filter).  The browser traps every way a payload could announce itself: a
dialog (``alert``, ``confirm``, ``prompt``) or a write to the global
``__xss``, in the page and in every frame, the map's included.  Then every
popup and tooltip on the map is opened, the sidebar's headlines unfolded,
and files with hostile names and contents are uploaded through the page.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from geo.intake.service import add_report, open_seeded
from geo.store import STORE_FILE, open_store
from tests.browser.conftest import DASHBOARD as APP, map_frame as first_map_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DATA = Path(__file__).resolve().parents[1] / "data"

# installed in every frame before any of its scripts: a payload that runs leaves a mark
TRAP = """(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", {value: hits});
  Object.defineProperty(window, "__xss", {
    configurable: false,
    get() { return undefined; },
    set(v) { hits.push("__xss=" + v + " in " + location.href); },
  });
})();"""

# opens every feature's tooltip and popup in turn and returns what each popup said
OPEN_EVERY_POPUP = """async () => {
  const pause = (ms) => new Promise(r => setTimeout(r, ms));
  const content = () => (document.querySelector(".leaflet-popup-content") || {}).innerText;
  const texts = [];
  for (const el of document.querySelectorAll("path.leaflet-interactive")) {
    const before = content();
    el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
    for (let wait = 5; wait <= 320 && content() === before; wait *= 4) {
      el.dispatchEvent(new MouseEvent("click", {bubbles: true}));  // again, if the last one was lost
      await pause(wait);
    }
    texts.push(content() || "");
    el.dispatchEvent(new MouseEvent("mouseout", {bubbles: true}));
  }
  return texts;
}"""


def load_payloads() -> list[str]:
    """The payload corpus: one a line, ``{NL}`` and ``{TAB}`` for line breaks and tabs."""
    lines = (DATA / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    return [ln.replace("{NL}", "\n").replace("{TAB}", "\t") for ln in lines
            if ln.strip() and not ln.startswith("# ")]


PAYLOADS = load_payloads()


def flat(text: str) -> str:
    return " ".join(text.split())


def city_names(gazetteer, n: int) -> list[str]:
    """``n`` Ukrainian towns on which each of a report's three events lands."""
    from geo.parse.pipeline import parse_text

    rows = sorted((r for r in range(len(gazetteer)) if gazetteer.cc[r] == "UA"
                   and gazetteer.kind[r] == "city" and gazetteer.population[r] >= 5_000),
                  key=lambda r: -gazetteer.population[r])
    names: list[str] = []
    for r in rows:
        name = str(gazetteer.name[r])
        if not re.fullmatch(r"[A-Z][a-z'-]+", name) or name in names:
            continue
        result = parse_text(hostile_report(name, "today."), gazetteer=gazetteer)
        if sorted(e.event_type for e in result.events if e.place == name) == [
                "capture", "encirclement", "strike"]:
            names.append(name)
        if len(names) == n:
            return names
    raise AssertionError(f"only {len(names)} towns resolve cleanly; need {n}")


def hostile_report(city: str, payload: str) -> str:
    who = re.sub(r"[,.;:\n]", " ", payload)  # "according to X" stops at these
    return (f"Russian forces captured {city} overnight {payload}\n\n"
            f"Explosions were heard near {city}, according to {who}.\n\n"
            f"Officials said that {city} is surrounded {payload}\n")


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory, gazetteer):
    """A store folder holding the seed and one hostile report per payload."""
    folder = tmp_path_factory.mktemp("hostile-store")
    store = open_seeded(str(folder / STORE_FILE), gazetteer)
    for i, (city, payload) in enumerate(zip(city_names(gazetteer, len(PAYLOADS)), PAYLOADS)):
        name = f"{payload}.txt" if i % 2 else f"report {i:03d} {payload}.md"
        add_report(store, hostile_report(city, payload), name, "2022-03-05", gazetteer=gazetteer)
    events = store.query_events()["features"]
    quoted = [p for p in PAYLOADS if any(flat(p) in flat(f["properties"]["quote"]) for f in events)]
    reports = store.list_reports()
    store.close()
    return {"dir": folder, "quoted": quoted, "reports": reports}


@pytest.fixture(scope="module")
def app_url(streamlit_server, hostile_store):
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(hostile_store["dir"])})


@pytest.fixture
def trapped(page):
    """The ``page`` with the trap in every frame and every dialog recorded (and dismissed)."""
    dialogs: list[str] = []
    page.add_init_script(TRAP)
    page.goto("about:blank")  # so the trap is in place for set_content too
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    page.dialogs = dialogs
    return page


def assert_nothing_ran(page) -> None:
    """No dialog opened and no frame's ``__xss`` was written."""
    page.wait_for_timeout(1500)  # image errors and animations fire a moment later
    hits = []
    for frame in page.frames:
        hits += frame.evaluate("() => window.__xssHits ? Array.from(window.__xssHits) : ['no trap']")
    assert page.dialogs == [], page.dialogs
    assert hits == []


def map_frame(page):
    """The map's frame, once its event layers are all drawn (the count holds still)."""
    frame = first_map_frame(page)
    paths = frame.locator("path.leaflet-interactive")
    count = -1
    while paths.count() != count:
        count = paths.count()
        page.wait_for_timeout(1000)
    return frame


def test_the_corpus_is_big_and_reaches_the_quotes(hostile_store):
    assert len(PAYLOADS) >= 100 and len(set(PAYLOADS)) == len(PAYLOADS)
    # most payloads survive sentence splitting whole, so their popups must show them whole
    assert len(hostile_store["quoted"]) >= 0.8 * len(PAYLOADS)
    assert len(hostile_store["reports"]) == len(PAYLOADS) + 1  # and the seed


def test_no_payload_runs_on_the_map_and_each_shows_as_text(app_url, trapped, tmp_path, hostile_store):
    page = trapped
    page.goto(app_url)
    frame = map_frame(page)
    count = frame.locator("path.leaflet-interactive").count()
    assert count >= 3 * len(PAYLOADS)  # a capture, a strike and an encirclement at each town
    map_js = next(f for f in page.frames if f.url and "streamlit_folium" in f.url)
    texts = map_js.evaluate(OPEN_EVERY_POPUP)
    page.screenshot(path=tmp_path / "hostile-map.png")
    assert len(texts) == count
    shown = flat(" ".join(texts))
    missing = [p for p in hostile_store["quoted"] if flat(p) not in shown]
    assert missing == [], f"{len(missing)} payloads not shown as text, e.g. {missing[:3]}"
    # the report names show too, as written ("Source: ...")
    names = [r.source for r in hostile_store["reports"] if "<" in r.source]
    assert sum(flat(n) in shown for n in names) >= 0.9 * len(names)
    assert_nothing_ran(page)


def test_no_payload_runs_in_the_sidebar_and_headlines_show_as_text(app_url, trapped, hostile_store):
    page = trapped
    page.goto(app_url)
    map_frame(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    folded = sidebar.locator("details.sm-headline summary")
    folded.first.wait_for()
    n = folded.count()
    assert n >= len(PAYLOADS) * 0.8  # one "captured" headline per town
    for i in range(0, n, max(1, n // 12)):  # unfold a dozen spread over the list
        folded.nth(i).click()
    text = flat(sidebar.inner_text())
    assert sum(flat(p) in text for p in hostile_store["quoted"]) >= 10
    # the source filter offers the hostile names as plain options
    target = next(r.source for r in hostile_store["reports"] if "onerror=alert(22)" in r.source)
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Source reports").click()
    page.keyboard.type("onerror=alert(22)")
    assert target in page.locator('[role="listbox"]').inner_text()
    assert_nothing_ran(page)


def test_the_report_list_shows_hostile_names_as_text(app_url, trapped, hostile_store):
    page = trapped
    page.goto(app_url)
    map_frame(page)
    target = next(r.source for r in hostile_store["reports"] if "onerror=alert(22)" in r.source)
    page.get_by_text(re.compile(r"^Reports \(\d+\)$")).click()
    search = page.get_by_label("Find a report")
    search.fill("onerror=alert(22)")
    search.press("Enter")
    listing = page.locator('[data-testid="stMain"] [data-testid="stExpander"]').filter(has=search)
    row = listing.locator('[data-testid="stMarkdownContainer"]', has_text="onerror=alert(22)").first
    row.wait_for()
    assert target in row.inner_text()
    assert_nothing_ran(page)


def _snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.iterdir()}


def test_hostile_uploads_are_refused_or_kept_as_text_and_write_nowhere_else(
        app_url, trapped, hostile_store, tmp_path):
    page = trapped
    repo = Path(__file__).resolve().parents[2]
    passwd = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    before_repo, before_tmp = _snapshot(repo), _snapshot(hostile_store["dir"].parent)
    page.goto(app_url)
    map_frame(page)
    page.get_by_text("Add reports").click()
    files = [
        {"name": "../../etc/passwd.txt", "mimeType": "text/plain",
         "buffer": b"Shelling hit Kherson overnight, officials said."},
        {"name": "<img src=x onerror=alert(901)>.txt", "mimeType": "text/plain",
         "buffer": "Explosions were heard in Sumy <svg onload=alert(902)>.".encode()},
        {"name": "empty.txt", "mimeType": "text/plain", "buffer": b""},
        {"name": "photo.txt", "mimeType": "text/plain",
         "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)},
        {"name": "latin1.txt", "mimeType": "text/plain",
         "buffer": "Explosions à Kharkiv, café détruit.".encode("latin-1")},
        {"name": "utf16.txt", "mimeType": "text/plain",
         "buffer": "Explosions were heard in Poltava.".encode("utf-16")},
    ]
    # the report uploader (the page also has one for imported event layers)
    page.locator('[data-testid="stFileUploaderDropzoneInput"][accept*=".txt"]').set_input_files(files)
    alerts = page.locator('[data-testid="stAlert"]')
    alerts.nth(len(files) - 1).wait_for(timeout=60_000)
    messages = [flat(t) for t in alerts.all_inner_texts()]
    assert any(m.startswith("passwd.txt: added") for m in messages), messages
    assert any("<img src=x onerror=alert(901)>.txt: added" in m for m in messages), messages
    assert any("empty.txt" in m and "empty report" in m for m in messages)
    assert any("photo.txt" in m and "binary" in m for m in messages)
    assert any("latin1.txt" in m and "UTF-8" in m for m in messages)
    assert any(m.startswith("utf16.txt: added") for m in messages)
    assert_nothing_ran(page)
    # nothing was written outside the store folder, and /etc/passwd is untouched
    assert hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest() == passwd
    assert _snapshot(repo) == before_repo
    assert _snapshot(hostile_store["dir"].parent) == before_tmp
    assert {p.name for p in hostile_store["dir"].iterdir()} <= {
        STORE_FILE, f"{STORE_FILE}-wal", f"{STORE_FILE}-shm"}
    # the refused files left no report behind; the two good ones are kept under safe names
    store = open_store(str(hostile_store["dir"] / STORE_FILE))
    names = {r.source for r in store.list_reports()}
    store.close()
    assert {"passwd.txt", "<img src=x onerror=alert(901)>.txt", "utf16.txt"} <= names
    assert not names & {"empty.txt", "photo.txt", "latin1.txt", "../../etc/passwd.txt"}


def test_the_downloaded_map_runs_no_payload(hostile_store, trapped, gazetteer):
    from dashboard import mapview
    from dashboard.offline import offline_page
    from geo.store import EventFilter

    store = open_store(str(hostile_store["dir"] / STORE_FILE))
    facets = store.facets()
    html = offline_page(mapview.full_map(facets, mapview.map_content(store, EventFilter(), facets)))
    store.close()
    page = trapped
    page.set_content(html, wait_until="load")
    page.locator("path.leaflet-interactive").first.wait_for(state="attached")
    texts = page.main_frame.evaluate(OPEN_EVERY_POPUP)
    shown = flat(" ".join(texts))
    assert sum(flat(p) in shown for p in hostile_store["quoted"]) == len(hostile_store["quoted"])
    assert_nothing_ran(page)
