"""The package layout holds: arrows point one way, and no module grows past a screenful of screens."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"

# what each package may import from the others (geo-level modules are open to all)
ALLOWED = {
    "gazetteer": set(),
    "parse": {"gazetteer"},
    "store": set(),
    "exchange": {"store", "gazetteer", "parse"},  # parse's sentence spans, for a mention's quote
    "briefing": {"exchange", "gazetteer", "control"},
    "control": {"gazetteer", "store", "intake"},  # its CLI checks claims in report files
    "intake": {"parse", "store", "exchange", "gazetteer"},
}


def imports_of(path: Path) -> set[str]:
    """Every ``geo.*`` module a file imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geo"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("geo"))
    return out


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and (GEO / parts[1]).is_dir() else None


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_packages_below_it(package):
    wrong = []
    for path in sorted((GEO / package).rglob("*.py")):
        for module in imports_of(path):
            other = package_of(module)
            if other and other != package and other not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_geo_level_modules_import_no_package():
    # records, taxonomy, settings, io, names, lexicons, status, geojson: the shared floor
    wrong = [f"{p.name} imports {m}" for p in GEO.glob("*.py") if p.name != "__main__.py"
             for m in imports_of(p) if package_of(m)]
    # the status module may name the parse record it reads, for type checking only
    wrong = [w for w in wrong if w != "status.py imports geo.parse.events.Extraction"
             and w != "status.py imports geo.parse.events"]
    assert not wrong, "\n".join(wrong)


def test_no_module_in_the_library_or_dashboard_is_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for folder in ("geo", "dashboard") for p in (ROOT / folder).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, long
