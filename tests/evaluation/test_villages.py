"""``python -m evaluation villages``: village notes written from the settlements table."""

from __future__ import annotations

from evaluation import villages as vl
from geo.parse.pipeline import parse_text


def test_each_village_is_written_in_every_form_it_has_names_for():
    notes = vl.notes(limit=6)
    assert notes == vl.notes(limit=6)  # seeded: the same sample each run
    by_village = {}
    for n in notes:
        by_village.setdefault((n.lat, n.lon), []).append(n)
    assert len(by_village) == 6
    for written in by_village.values():
        forms = {n.form for n in written}
        assert {"ACLED", "ISW", "OCHA", "uk, comma", "uk, brackets"} <= forms
        assert forms <= {*vl.ENGLISH, *vl.UKRAINIAN, "Russian-era", "ISW, neighbours", "list, no oblast",
                         "ACLED, raion", "ACLED, (raion, oblast)", "uk, raion"}
        assert any("область" in n.text for n in written) and any("oblast" in n.text.lower() for n in written)


def test_a_note_counts_only_with_an_event_at_a_point_near_its_village(gazetteer):
    text = "On 14 March 2023, Russian forces shelled near Kupiansk, Kharkiv. Casualties unknown."
    result = parse_text(text, gazetteer=gazetteer)
    assert vl.hit(vl.Note("ACLED", text, 49.71, 37.61, True), result)
    assert not vl.hit(vl.Note("ACLED", text, 46.48, 30.72, True), result)  # Odesa: 600 km off
    oblast_only = parse_text("Shelling in Kharkiv oblast.", gazetteer=gazetteer)
    assert not vl.hit(vl.Note("OCHA", "", 49.61, 36.5, True), oblast_only)  # an oblast is no point


def test_a_village_is_also_written_between_its_neighbours_from_the_nearest_town():
    cluster = [n for n in vl.notes(limit=6) if n.form == "ISW, neighbours"]
    assert cluster
    for n in cluster:
        # the village itself, between two others, on a bearing from a town: "(all west of Y)"
        assert n.name and f", {n.name}, and " in n.text and "(all " in n.text


def test_a_neighbours_note_counts_only_the_event_of_its_own_village(gazetteer):
    text = "Russian forces attacked near Synkivka, Petropavlivka, and Kupiansk (all east of Kupiansk)."
    result = parse_text(text, gazetteer=gazetteer)
    assert vl.hit(vl.Note("ISW, neighbours", text, 49.72, 37.71, True, "Petropavlivka"), result)
    # an event of a neighbour 8 km away does not stand for the village
    assert not vl.hit(vl.Note("ISW, neighbours", text, 49.72, 37.71, True, "Dovhenke"), result)


def test_the_table_gives_unique_and_shared_names_apart():
    text = vl.table({("ACLED", True): [True, True, False, True], ("ACLED", False): [False, True]})
    assert "| ACLED | 4 | 75.0 | 2 | 50.0 |" in text


def test_a_village_is_also_written_with_its_raion():
    notes = [n for n in vl.notes(limit=6) if n.form in ("ACLED, raion", "ACLED, (raion, oblast)", "uk, raion")]
    assert {n.form for n in notes} == {"ACLED, raion", "ACLED, (raion, oblast)", "uk, raion"}
    for n in notes:
        # "(Pokrovsk raion, Donetsk)", "(Pokrovsk, Donetsk)" and "Покровського району" (the genitive)
        if n.form == "ACLED, raion":
            assert " raion, " in n.text
        elif n.form == "uk, raion":
            assert n.text.endswith("ого району.")
        else:
            assert " raion" not in n.text and n.text.endswith("). Casualties unknown.")
    assert vl._genitive("Покровський") == "Покровського" and vl._genitive("Крайній") == "Крайнього"
