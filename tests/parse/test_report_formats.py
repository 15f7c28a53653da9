"""The report formats analysts import daily, each as it is written: ACLED notes, ISW
campaign assessments, UN OCHA and HRMMU updates, and terse OSINT captions.  Each event
must be of the right type and land within 25 km of the true settlement (the sentences
are ours, written in each format's style; the points are the settlements' own)."""

from __future__ import annotations

import math

import pytest

from geo.parse.pipeline import parse_text

BILOHORIVKA_LUHANSK = (48.92, 38.24)
BILOHORIVKA_DONETSK = (48.72, 38.20)
KUPIANSK = (49.71, 37.61)
SPIRNE = (48.80, 38.25)
AVDIIVKA = (48.14, 37.74)
MARINKA = (47.94, 37.50)
KRAMATORSK = (48.72, 37.56)
BAKHMUT = (48.60, 38.00)
KOSTIANTYNIVKA = (48.53, 37.71)
KHERSON = (46.64, 32.62)
KHARKIV = (49.99, 36.23)
TOKMAK = (47.25, 35.71)
IZIUM = (49.21, 37.26)
SNIZHNE = (48.02, 38.77)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def events_at(text: str, gazetteer, event_type: str, point: tuple[float, float]) -> list:
    """The events of ``event_type`` the report puts within 25 km of ``point``."""
    out = []
    for e in parse_text(text, gazetteer=gazetteer).events:
        geom = e.geometry
        if e.event_type == event_type and isinstance(geom, dict) and geom.get("type") == "Point":
            lon, lat = geom["coordinates"]
            if km((lat, lon), point) <= 25:
                out.append(e)
    return out


# ACLED notes: "On <date>, <actor> shelled near <village>, <oblast>. <fatalities>."
def test_acled_note_puts_the_shelling_at_the_village_of_the_oblast_named(gazetteer):
    luhansk = "On 14 March 2023, Russian forces shelled near Bilohorivka, Luhansk. Casualties unknown."
    donetsk = "On 14 March 2023, Russian forces shelled near Bilohorivka, Donetsk. Casualties unknown."
    # two villages of one name, 22 km apart: the oblast after the comma tells them apart
    for text, right, wrong in ((luhansk, BILOHORIVKA_LUHANSK, BILOHORIVKA_DONETSK),
                               (donetsk, BILOHORIVKA_DONETSK, BILOHORIVKA_LUHANSK)):
        [strike] = events_at(text, gazetteer, "strike", right)
        lon, lat = strike.geometry["coordinates"]
        assert km((lat, lon), right) < km((lat, lon), wrong), text


def test_acled_note_dated_in_may_is_not_read_as_may_happen(gazetteer):
    text = "On 3 May 2023, Russian forces shelled near Kupiansk, Kharkiv. Casualties unknown."
    [strike] = events_at(text, gazetteer, "strike", KUPIANSK)
    assert strike.date == "2023-05-03"


# ISW: "offensive operations near X (direction of Y) and Z"
def test_isw_operations_are_at_the_villages_not_at_their_reference_points(gazetteer):
    text = ("Russian forces conducted offensive operations near Bilohorivka (12km south of Kreminna) "
            "and Spirne (30km south of Kreminna).")
    assert events_at(text, gazetteer, "battle", BILOHORIVKA_LUHANSK)
    assert events_at(text, gazetteer, "battle", SPIRNE)
    # Kreminna is only the reference point
    assert "Kreminna" not in {e.place for e in parse_text(text, gazetteer=gazetteer).events}
    text = "Russian forces continued offensive operations near Avdiivka (north of Donetsk City) and Marinka."
    assert events_at(text, gazetteer, "battle", AVDIIVKA) and events_at(text, gazetteer, "battle", MARINKA)


# UN OCHA flash updates and HRMMU civilian-casualty updates
def test_ocha_update_puts_harm_and_shelling_at_the_town(gazetteer):
    text = ("Shelling hit Kramatorsk, Donetsk Oblast, on 1 February, damaging a residential building "
            "and killing three civilians.")
    assert events_at(text, gazetteer, "civilian_harm", KRAMATORSK)
    assert events_at(text, gazetteer, "strike", KRAMATORSK)
    text = ("On 12 April, in Kherson city, a woman was killed and two men were injured by shelling, "
            "according to local authorities.")
    assert events_at(text, gazetteer, "civilian_harm", KHERSON)


def test_hrmmu_update_lists_harm_at_each_town_of_the_region(gazetteer):
    text = "HRMMU recorded 12 civilian casualties in Donetsk region, including in Bakhmut and Kostiantynivka."
    assert events_at(text, gazetteer, "civilian_harm", BAKHMUT)
    assert events_at(text, gazetteer, "civilian_harm", KOSTIANTYNIVKA)


# terse OSINT captions
def test_osint_captions_give_movements_and_losses(gazetteer):
    assert events_at("Russian tanks in Kharkiv", gazetteer, "troop_movement", KHARKIV)
    assert events_at("Destroyed Ukrainian humvee in Tokmak", gazetteer, "losses", TOKMAK)
    # Russian-era spellings, as captions write them
    assert events_at("Destroyed Russian T-72 near Izyum", gazetteer, "losses", IZIUM)
    assert events_at("Russian column entering Snizhnoye", gazetteer, "troop_movement", SNIZHNE)


def test_osint_captions_of_burning_sunk_and_mourned_are_losses(gazetteer):
    odesa, lviv = (46.48, 30.73), (49.84, 24.03)
    for caption, point in [("Burning Russian tank near Izium", IZIUM), ("Wrecked Russian BMP near Izium", IZIUM),
                           ("Russian warship sunk off Odesa", odesa), ("Funeral of soldiers in Lviv", lviv)]:
        result = parse_text(caption, gazetteer=gazetteer)
        assert events_at(caption, gazetteer, "losses", point), caption
        assert {e.event_type for e in result.events} == {"losses"}, caption  # not presence, not harm
    # the ship named after a city is no place: the loss is where it sank
    result = parse_text("Ukraine sank the Russian flagship Moskva near Odesa.", gazetteer=gazetteer)
    assert [(e.event_type, e.place) for e in result.events] == [("losses", "Odesa")]


def test_osint_captions_of_prisoners_crashes_and_flags(gazetteer):
    sumy, yeysk, balakliia = (50.91, 34.80), (46.71, 38.27), (49.46, 36.86)
    assert events_at("Russian POWs in Sumy", gazetteer, "losses", sumy)
    assert events_at("Russian jet crashes in Yeysk", gazetteer, "losses", yeysk)
    assert events_at("Ukrainian flag raised in Balakliia", gazetteer, "capture", balakliia)
    # an alert is no strike, a civilian crash no military loss, an exchange of prisoners no loss
    for caption in ("Air raid sirens in Lviv", "Air raid alert in Kyiv", "A civilian plane crashed near Kyiv"):
        assert not parse_text(caption, gazetteer=gazetteer).events, caption
    exchange = parse_text("Ukraine and Russia exchanged prisoners of war in Zaporizhzhia", gazetteer=gazetteer).events
    assert [(e.event_type, e.subtype) for e in exchange] == [("diplomacy", "prisoner exchange")]
    assert events_at("Air raid on Kharkiv", gazetteer, "strike", KHARKIV)


def test_osint_captions_of_columns_and_checkpoints_report_presence(gazetteer):
    # an adjective inside "column of ... vehicles", and a checkpoint seen in a town
    assert events_at("Column of Russian vehicles moving through Melitopol", gazetteer, "troop_movement",
                     (46.85, 35.37))
    assert events_at("Russian checkpoint in Nova Kakhovka", gazetteer, "troop_movement", (46.76, 33.37))


def test_osint_captions_that_name_the_kit_first_or_speak_in_the_present(gazetteer):
    kherson, snihurivka = (46.64, 32.61), (47.08, 32.81)
    # the kit named before what befell it: a loss of the side named before it, not a civilian's damage
    for caption in ("Russian T-72 destroyed near Izium", "Destroyed Russian armour near Izium"):
        [loss] = parse_text(caption, gazetteer=gazetteer).events
        assert (loss.event_type, loss.actors) == ("losses", ("Russia",)), caption
        assert events_at(caption, gazetteer, "losses", IZIUM)
    assert events_at("Russian warplane crashes near Izium", gazetteer, "losses", IZIUM)
    # a caption's present tense: forces entering, a flag raised
    assert events_at("Ukrainian forces enter Kherson", gazetteer, "troop_movement", kherson)
    assert events_at("Ukrainian troops raise flag in Snihurivka", gazetteer, "capture", snihurivka)
    # a weapon system seen in a town is presence
    assert events_at("TOS-1 spotted near Izium", gazetteer, "troop_movement", IZIUM)
    # a civilian truck destroyed is no military loss
    types = {e.event_type for e in parse_text("Truck destroyed in Kherson", gazetteer=gazetteer).events}
    assert "losses" not in types


def test_headlines_in_the_present_tense_report_captures(gazetteer):
    lysychansk, kupiansk = (48.90, 38.43), (49.71, 37.61)
    for headline, point, side in [("Russia captures Lysychansk", lysychansk, ("Russia",)),
                                  ("Ukrainian army recaptures Kupiansk", kupiansk, ("Ukraine",)),
                                  ("Ukrainian forces liberate Izium", IZIUM, ("Ukraine",))]:
        [capture] = events_at(headline, gazetteer, "capture", point)
        assert capture.actors == side, headline
    # a present tense takes a place, not kit or a mood
    events = parse_text("Russia captures two Ukrainian tanks near Izium", gazetteer=gazetteer).events
    assert [(e.event_type, e.actors) for e in events] == [("losses", ("Ukraine",))]
    assert not parse_text("The film captures the mood of a concert in Kyiv.", gazetteer=gazetteer).events


def test_soldiers_and_kit_taken_are_the_losing_sides_losses(gazetteer):
    for caption in ("Russian soldiers captured near Izium", "Russian soldiers surrender near Izium",
                    "Russian tank captured by Ukrainian farmers near Izium", "Burned-out Russian column near Izium"):
        events = parse_text(caption, gazetteer=gazetteer).events
        assert [(e.event_type, e.actors) for e in events] == [("losses", ("Russia",))], caption
        assert events_at(caption, gazetteer, "losses", IZIUM)


def test_a_weapon_named_after_a_place_is_no_place(gazetteer):
    result = parse_text("Russian Grad rockets hit Kharkiv", gazetteer=gazetteer)
    assert [p.name for p in result.places] == ["Kharkiv"]  # not Grad, a Slovenian municipality
    assert events_at("Russian Grad rockets hit Kharkiv", gazetteer, "strike", KHARKIV)
    assert [p.name for p in parse_text("The Kyiv missile strike killed two.", gazetteer=gazetteer).places] == ["Kyiv"]


def test_evacuees_arriving_are_an_evacuation(gazetteer):
    zaporizhzhia = (47.84, 35.14)
    assert events_at("Evacuees from Mariupol arrive in Zaporizhzhia", gazetteer, "humanitarian", zaporizhzhia)


def test_captions_of_weapons_raids_and_digging_in(gazetteer):
    bakhmut, kherson = (48.60, 38.00), (46.64, 32.61)
    # a loitering munition and a glide bomb are strikes, by the side that flew them
    [strike] = events_at("Russian Lancet hits Ukrainian howitzer near Bakhmut", gazetteer, "strike", bakhmut)
    assert strike.actors[0] == "Russia"
    assert events_at("KAB strike on Bakhmut", gazetteer, "strike", bakhmut)
    assert events_at("Partisans blow up railway near Bakhmut", gazetteer, "strike", bakhmut)
    # a bus hit by shelling: the strike and the harm to civilians, both at the town
    types = {e.event_type for e in parse_text("Civilian bus hit by shelling in Kherson", gazetteer=gazetteer).events}
    assert types == {"strike", "civilian_harm"}
    assert events_at("Civilian bus hit by shelling in Kherson", gazetteer, "civilian_harm", kherson)
    # a raid, clearing trenches, troops digging in or massing
    assert events_at("Ukrainian sabotage group near Izium", gazetteer, "battle", IZIUM)
    assert events_at("Ukrainian troops clearing trenches near Izium", gazetteer, "battle", IZIUM)
    assert events_at("Russian troops dig trenches near Izium", gazetteer, "troop_movement", IZIUM)
    assert events_at("Russian forces mass near Izium", gazetteer, "troop_movement", IZIUM)


@pytest.mark.parametrize(("caption", "event_type", "point"), [
    # kit knocked out, or hit by a drone, is the owner's loss
    ("Ukrainian T-64 knocked out near Izium", "losses", IZIUM),
    ("Russian T-90M hit by FPV drone near Izium", "losses", IZIUM),
    ("Destroyed Russian Grad in Kharkiv", "losses", KHARKIV),
    # fighters, armour and helicopters seen or massing: presence and movement
    ("Wagner fighters in Bakhmut", "troop_movement", BAKHMUT),
    ("Russian armour on the move near Izium", "troop_movement", IZIUM),
    ("Russian troops massing near Kupiansk", "troop_movement", KUPIANSK),
    ("Russian helicopters flying low near Kharkiv", "troop_movement", KHARKIV),
    ("Ukrainian reinforcements arrive in Bakhmut", "troop_movement", BAKHMUT),
    # a military site hit, street combat, the grid's toll, a swap of prisoners
    ("Ammunition depot explodes in Tokmak", "strike", TOKMAK),
    ("Russian headquarters hit in Kherson", "strike", KHERSON),
    ("Urban combat in Bakhmut", "battle", BAKHMUT),
    ("Power outage after strikes in Kharkiv", "civilian_harm", KHARKIV),
    ("Prisoner exchange near Kharkiv", "diplomacy", KHARKIV),
])
def test_more_terse_captions(caption, event_type, point, gazetteer):
    assert events_at(caption, gazetteer, event_type, point), caption


def test_a_weapon_system_is_no_place_after_its_owner_or_before_its_kind(gazetteer):
    # Glide (Oregon) and Grad (Slovenia) are places elsewhere; here they are weapons
    for caption in ("Glide bomb strike on Kupiansk", "Destroyed Russian Grad in Kupiansk",
                    "Shahed drones hit Kupiansk"):
        assert [p.name for p in parse_text(caption, gazetteer=gazetteer).places] == ["Kupiansk"], caption
    # a bomb shelter named after its town keeps the town
    assert [p.name for p in parse_text("Kharkiv bomb shelters are full.", gazetteer=gazetteer).places] == ["Kharkiv"]


@pytest.mark.parametrize(("caption", "subtype"), [
    ("Kharkiv: Collapsed residential building.", "damage"),
    ("Kherson: Car repair facility on fire in Kherson.", "damage"),
    ("Kherson: Plume of smoke rising from the port.", "damage"),
    ("Kherson: Ruined almost to the ground the whole village.", "damage"),
    ("Kherson: Five bodies with hands tied behind their backs in a cellar.", "casualties"),
    ("Kherson: Military vehicle runs over a civilian car.", "casualties"),
])
def test_descriptions_of_harm_written_verb_first(caption, subtype, gazetteer):
    kherson, kharkiv = (46.64, 32.61), KHARKIV
    events = events_at(caption, gazetteer, "civilian_harm", kharkiv if caption.startswith("Kharkiv") else kherson)
    assert [e.subtype for e in events] == [subtype]


def test_a_fire_service_is_no_fire(gazetteer):
    assert not parse_text("Kherson to weigh a new police and fire facility.", gazetteer=gazetteer).events


def test_a_hotel_named_after_a_place_is_no_place(gazetteer):
    mykolaiv = (46.97, 31.99)
    result = parse_text("Mykolaiv: Heavy destruction to Hotel Ingul.", gazetteer=gazetteer)
    assert [p.name for p in result.places] == ["Mykolaiv"]
    assert events_at("Mykolaiv: Heavy destruction to Hotel Ingul.", gazetteer, "civilian_harm", mykolaiv)


def test_isw_ground_attacks_advances_and_failed_attacks(gazetteer):
    text = ("Russian forces attacked northwest of Kupyansk near Synkivka and southeast of Kupyansk near Ivanivka. "
            "The Ukrainian General Staff reported that Russian forces unsuccessfully attacked near Novomykhailivka "
            "(southwest of Donetsk City). Ukrainian forces recently regained positions near Robotyne (south of Orikhiv). "
            "Ukrainian forces recently advanced west of Krasnohorivka (west of Donetsk City).")
    events = parse_text(text, gazetteer=gazetteer).events
    got = {(e.event_type, e.place) for e in events}
    # a ground attack near a village is fighting there, not a strike on it
    assert {("battle", "Synkivka"), ("battle", "Ivanivka"), ("battle", "Novomykhailivka")} <= got
    assert not {p for t, p in got if t == "strike"}
    [failed] = [e for e in events if e.place == "Novomykhailivka"]
    assert (failed.outcome, failed.actors, failed.attributed_to) == ("failed", ("Russia",), "Ukrainian General Staff")
    # ground regained, and an advance named only by its reference point, are placed there, not on Ukraine
    assert ("troop_movement", "Robotyne") in got and ("troop_movement", "Krasnohorivka") in got
    assert "Ukraine" not in {p for _, p in got}


def test_an_ocha_update_keeps_its_place_and_day_for_the_next_sentence(gazetteer):
    text = ("On 12 March, a residential building was damaged by shelling in Kherson city. Two civilians were injured. "
            "On the same day, in Nikopol, Dnipropetrovsk region, shelling damaged a kindergarten.")
    events = parse_text(text, date="2024-03-20", gazetteer=gazetteer).events
    harm = [e for e in events if e.event_type == "civilian_harm"]
    assert [e.place for e in harm] == ["Kherson", "Kherson", "Nikopol"]  # the injured: where the shelling was
    assert harm[1].date == "2024-03-12"  # and on its day
    assert {e.date for e in events if e.place == "Nikopol"} == {"2024-03-12"}  # "the same day"
    # a sentence naming a place of its own keeps it; a dateline still places what the text does not
    other = parse_text("Putin met Erdogan in Sochi. Missiles struck Ukraine overnight.", gazetteer=gazetteer).events
    assert [e.place for e in other if e.event_type == "strike"] == ["Ukraine"]


def test_a_caption_headed_by_oblast_then_town_is_at_the_town(gazetteer):
    # the head names the oblast to say where the town is; every event of the caption is the town's
    caption = "Kharkiv Oblast, Kupiansk: houses were shelled. Two civilians were injured."
    events = parse_text(caption, gazetteer=gazetteer).events
    assert {e.event_type for e in events} == {"strike", "civilian_harm"}
    assert {e.place for e in events} == {"Kupiansk"}
    # an oblast alone still holds them
    assert {e.place_kind for e in parse_text("Kharkiv Oblast: houses were shelled.", gazetteer=gazetteer).events} \
        == {"admin1"}


@pytest.mark.parametrize(("caption", "event_type", "point"), [
    # sites reports name on their own, not the town they are named after
    ("Shelling near the Zaporizhzhia nuclear power plant", "strike", (47.51, 34.59)),  # 50 km from the city
    ("Strike on Snake Island", "strike", (45.26, 30.20)),
    ("Crimean Bridge attacked", "strike", (45.28, 36.53)),
    ("Explosions at Saky air base", "strike", (45.09, 33.60)),
    ("Ukrainian forces landed on Kinburn Spit", "troop_movement", (46.57, 31.52)),
    ("Окупанти обстріляли Запорізьку АЕС.", "strike", (47.51, 34.59)),
    ("Обстріл Запорізької АЕС", "strike", (47.51, 34.59)),  # inflected
    ("Обстрел Запорожской АЭС", "strike", (47.51, 34.59)),  # Russian
])
def test_captions_at_named_sites(caption, event_type, point, gazetteer):
    assert events_at(caption, gazetteer, event_type, point), caption


def test_a_town_named_only_to_place_a_site_gives_no_second_event(gazetteer):
    events = parse_text("Fighting at Azovstal steel plant in Mariupol", gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("battle", "Azovstal")]
    # a town listed beside the site keeps its own event
    places = {e.place for e in parse_text("Strikes on Mariupol and Azovstal", gazetteer=gazetteer).events}
    assert places == {"Mariupol", "Azovstal"}


@pytest.mark.parametrize("note", [
    "Russian forces shelled Vodiane, Pokrovsk raion, Donetsk oblast.",
    "Russian forces shelled Vodiane in the Pokrovsk raion.",
    "Russian forces shelled near Vodiane (Yasynuvata district).",  # a raion of before 2020
])
def test_a_raion_written_after_its_village_gives_no_second_event(note, gazetteer):
    # the raion says where the village is: one strike, drawn at the village, not also at the seat
    events = parse_text(note, gazetteer=gazetteer).events
    assert [(e.event_type, e.place, e.precision) for e in events] == [("strike", "Vodiane", "place")]


@pytest.mark.parametrize(("note", "town"), [
    ("On 18 October 2023, Russian forces struck Kupiansk (Kupiansk raion, Kharkiv). 2 civilians were injured.",
     "Kupiansk"),
    ("Russian forces shelled Kherson (Kherson raion, Kherson).", "Kherson"),
    ("Russian forces shelled Bakhmut, Bakhmut raion.", "Bakhmut"),
    # ACLED's "X city (X raion, X)": the last X is the oblast, written by its city's name
    ("Russian forces shelled the outskirts of Sumy city (Sumy raion, Sumy). No casualties reported.", "Sumy"),
    ("On 19 November 2023, Russian forces shelled Kherson city (Kherson raion, Kherson), injuring 3 civilians.",
     "Kherson"),
    ("On 11 April 2023, Russian forces launched an S-300 missile at Zaporizhzhia city (Zaporizhzhia raion, "
     "Zaporizhia). The missile hit a residential building, killing 1 civilian.", "Zaporizhzhia"),
])
def test_a_raion_seat_written_with_its_own_raion_keeps_its_events(note, town, gazetteer):
    # the raion shares the town's name and point: the raion only qualifies, the town's events stay
    events = parse_text(note, gazetteer=gazetteer).events
    assert events and {(e.place, e.precision) for e in events} == {(town, "place")}
    assert "strike" in {e.event_type for e in events}


@pytest.mark.parametrize(("note", "village", "event_type"), [
    # an event the text binds to the unit after the village is the village's
    ("On 17 February 2024, Russian forces captured Avdiivka (Pokrovsk raion, Donetsk) after months of fighting.",
     "Avdiivka", "battle"),
    ("On 22 August 2023, Russian forces dropped explosives from a drone on Bilozerka (Kherson raion, Kherson), "
     "injuring a civilian.", "Bilozerka", "civilian_harm"),
    ("On 27 January 2023, in Vuhledar (Donetsk region), a man was killed when a shell hit his house.",
     "Vuhledar", "civilian_harm"),
    ("Russian troops shelled the village of Velyka Pysarivka in Sumy oblast with mortars overnight.",
     "Velyka Pysarivka", "strike"),
])
def test_an_event_bound_to_the_unit_after_a_village_is_at_the_village(note, village, event_type, gazetteer):
    events = parse_text(note, gazetteer=gazetteer).events
    assert event_type in {e.event_type for e in events if e.place == village}
    # no second event on the oblast, its city or the raion's seat
    assert {e.place for e in events} == {village}


def test_units_listed_or_a_town_outside_the_unit_keep_their_events(gazetteer):
    listed = parse_text("Russian forces shelled Pokrovsk raion and Kramatorsk raion.", gazetteer=gazetteer)
    assert [(e.place, e.precision) for e in listed.events] == [("Pokrovsk", "raion"), ("Kramatorsk", "raion")]
    # Kramatorsk lies in its own raion, not in Pokrovsk raion: both were shelled
    beside = parse_text("Russian forces shelled Kramatorsk, Pokrovsk raion and Bakhmut raion.", gazetteer=gazetteer)
    assert [e.place for e in beside.events] == ["Kramatorsk", "Pokrovsk", "Bakhmut"]
    hromada = parse_text("Russian forces shelled Bilozerka hromada, Kherson raion.", gazetteer=gazetteer)
    assert [(e.place, e.precision) for e in hromada.events] == [("Bilozerka", "hromada")]


# ISW: places listed with a bearing from the nearest town, the list often closed by a serial comma
def test_isw_bearing_from_a_town_picks_the_namesakes_beside_it(gazetteer):
    note = ("Russian forces conducted unsuccessful ground attacks near Nevelske, Pervomaiske, and Vodiane "
            "(all west of Donetsk City) and near Klishchiivka and Andriivka (both southwest of Bakhmut).")
    events = parse_text(note, gazetteer=gazetteer).events
    # 37 Vodianes and 80 Andriivkas: the ones west of Donetsk and south-west of Bakhmut
    assert events_at(note, gazetteer, "battle", (48.09, 37.67))  # Vodiane by Avdiivka
    assert events_at(note, gazetteer, "battle", (48.50, 37.97))  # Andriivka by Klishchiivka
    assert len(events) == 5 and all(e.event_type == "battle" for e in events)
    assert "Donetsk" not in {e.place for e in events} and "Bakhmut" not in {e.place for e in events}


def test_isw_places_after_a_bearing_and_near_are_by_that_town(gazetteer):
    note = ("Russian forces attacked east of Kupyansk near Pishchane and Stepova Novoselivka, and southeast "
            "of Kupyansk near Kolisnykivka, Lozova, and Kruhlyakivka.")
    events = parse_text(note, gazetteer=gazetteer).events
    assert [e.place for e in events] == ["Pishchane", "Stepova Novoselivka", "Kolisnykivka", "Lozova", "Kruhliakivka"]
    # every one within 35 km of Kupiansk, not the city of Lozova 100 km off
    assert all(km((e.lat, e.lon), KUPIANSK) < 35 for e in events)


def test_isw_positional_engagements_are_battles_at_each_village(gazetteer):
    events = parse_text("Positional engagements continued near Terny, Torske, and Dibrova.", gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("battle", "Terny"), ("battle", "Torske"), ("battle", "Dibrova")]


def test_a_clause_after_a_serial_comma_that_is_no_list_stays_apart(gazetteer):
    # "and Rio 84" follows a subject, not a list after the trigger; "and Salome went" has a verb
    paulo = parse_text("The city of Sao Paulo reported 327 deaths, and Rio de Janeiro 84.", gazetteer=gazetteer)
    assert [e.place for e in paulo.events] == ["São Paulo"]
    went = parse_text("After the shelling of Kharkiv, Izium, and Kupiansk residents went to Poltava.",
                      gazetteer=gazetteer)
    assert "Poltava" not in {e.place for e in went.events}


def test_a_direction_names_a_line_of_advance_not_where_the_shelling_was(gazetteer):
    note = "Russian forces shelled Bilohorivka, Serebrianka and Spirne in the Siversk direction."
    assert [e.place for e in parse_text(note, gazetteer=gazetteer).events] == ["Bilohorivka", "Serebrianka", "Spirne"]
    fighting = parse_text("Fighting continues on the outskirts of Chasiv Yar and in the direction of Kostiantynivka.",
                          gazetteer=gazetteer)
    assert [e.place for e in fighting.events] == ["Chasiv Yar"]
    # with no other place, the direction's town stands for where it happened
    alone = parse_text("Artillerymen destroyed an enemy howitzer in the Kherson direction.", gazetteer=gazetteer)
    assert [(e.event_type, e.place) for e in alone.events] == [("losses", "Kherson")]


def test_a_village_with_its_raion_gives_the_raion_no_event_of_its_own(gazetteer):
    note = ("On 5 December, two civilians were killed and three injured when shelling hit the village of "
            "Vovchansk, Chuhuiv raion, Kharkiv region.")
    events = parse_text(note, gazetteer=gazetteer).events
    assert {e.place for e in events} == {"Vovchansk"}
    assert {e.event_type for e in events} == {"strike", "civilian_harm"}


def test_a_village_on_a_bearing_from_a_town_is_the_namesake_by_that_town(gazetteer):
    # 80 Andriivkas; the one 11 km south of Bakhmut, not the bigger one in Kharkiv oblast
    assert events_at("Ukrainian forces liberate Andriivka south of Bakhmut", gazetteer, "capture", (48.50, 37.97))


def test_a_city_named_for_its_district_gives_the_district_alone(gazetteer):
    events = parse_text("Cluster munitions remnants found in Kharkiv's Saltivka district", gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("strike", "Saltivka")]


@pytest.mark.parametrize("note", [
    "On 2 March 2023, Russian forces shelled Bilohorivka (Kramatorsk raion, Donetsk). 1 civilian was killed.",
    "On 10 June 2023, Ukrainian forces clashed with Russian forces near Neskuchne (Volnovakha raion, Donetsk).",
    "On 20 May 2023, Russian forces shelled Hryhorivka and Mykolaivka in Kramatorsk raion, Donetsk.",
])
def test_acled_oblast_after_a_raion_is_no_shelling_of_donetsk_city(note, gazetteer):
    # ACLED writes the oblast by its city's name: "Donetsk" there is no second place of the event
    events = parse_text(note, gazetteer=gazetteer).events
    assert events and "Donetsk" not in {e.place for e in events}


def test_donetsk_listed_with_a_town_keeps_its_event(gazetteer):
    events = parse_text("Russian forces shelled Makiivka and Donetsk.", gazetteer=gazetteer).events
    assert [e.place for e in events] == ["Makiivka", "Donetsk"]


def test_an_acled_ground_attack_and_its_repelling_are_battles_at_the_village(gazetteer):
    note = ("On 1 July 2023, Ukrainian forces attacked Russian positions near Klishchiivka, Donetsk. "
            "Russian sources claimed to have repelled the attack.")
    events = parse_text(note, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("battle", "Klishchiivka"), ("battle", "Klishchiivka")]
    assert events[1].attributed_to  # the second is Russian sources' claim


@pytest.mark.parametrize(("note", "place"), [
    ("On 22 February, an inter-agency convoy delivered aid to Orikhiv, Zaporizka oblast.", "Orikhiv"),
    ("Humanitarian partners delivered food and water to frontline communities in Kupiansk.", "Kupiansk"),
])
def test_ocha_aid_deliveries_are_humanitarian_not_troop_movements(note, place, gazetteer):
    events = parse_text(note, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("humanitarian", place)]


def test_a_military_convoy_is_still_a_troop_movement(gazetteer):
    events = parse_text("A Russian convoy was spotted near Kyiv.", gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("troop_movement", "Kyiv")]


def test_the_injured_told_after_the_killed_civilians_are_no_event_of_their_own(gazetteer):
    note = "On 14 July, a missile strike in Vinnytsia city killed 27 civilians, including three children, and injured over 200."
    events = parse_text(note, gazetteer=gazetteer).events
    assert sorted(e.event_type for e in events) == ["civilian_harm", "strike"]
    # deaths with no word on who died still make their own pin
    alone = parse_text("At least 18 people died in Kremenchuk.", gazetteer=gazetteer).events
    assert alone and all(e.place == "Kremenchuk" for e in alone)


@pytest.mark.parametrize(("note", "units"), [
    ("Ukrainian forces shot down 10 of 17 Shahed drones over Mykolaiv and Kirovohrad oblasts.",
     [("Mykolaivska oblast", "oblast"), ("Kirovohradska oblast", "oblast")]),
    ("Russian forces shelled Kharkiv, Sumy and Chernihiv regions.",
     [("Kharkivska oblast", "oblast"), ("Sumska oblast", "oblast"), ("Chernihivska oblast", "oblast")]),
    ("Russian forces shelled Pokrovsk and Kramatorsk raions.", [("Pokrovsk", "raion"), ("Kramatorsk", "raion")]),
])
def test_a_list_closed_by_a_plural_unit_word_names_a_unit_each(note, units, gazetteer):
    # not the city of Mykolaiv, and not a Mykolaivka inside Kirovohrad oblast
    events = parse_text(note, gazetteer=gazetteer).events
    assert {(e.place, e.precision) for e in events} == set(units)


def test_the_surrounding_settlements_are_no_encirclement(gazetteer):
    note = ("Russian forces shelled Kherson city and the surrounding settlements 86 times over the past day, "
            "killing 2 people, Governor Oleksandr Prokudin said.")
    assert {e.event_type for e in parse_text(note, gazetteer=gazetteer).events} == {"strike", "civilian_harm"}
    assert [e.event_type for e in parse_text("Russian forces surrounded Avdiivka.", gazetteer=gazetteer).events] \
        == ["encirclement"]


def test_attacks_near_a_river_bank_are_fighting_not_harm_to_a_bank(gazetteer):
    note = ("Ukrainian military officials stated that Russian forces conducted 12 unsuccessful attacks near "
            "Krynky on the east (left) bank of Kherson Oblast.")
    events = parse_text(note, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("battle", "Krynky")]


def test_a_source_with_its_abbreviation_claims_what_it_said(gazetteer):
    note = ("The Russian Ministry of Defense (MoD) claimed that Russian forces repelled Ukrainian attacks near "
            "Novoprokopivka and Verbove.")
    events = parse_text(note, gazetteer=gazetteer).events
    assert [e.place for e in events] == ["Novoprokopivka", "Verbove"]
    assert {(e.certainty, e.attributed_to) for e in events} == {("claimed", "Russian Ministry of Defense")}


def test_a_village_in_a_towns_direction_is_the_namesake_by_that_town(gazetteer):
    # 80 Andriivkas: the one 11 km from Bakhmut, not the bigger one in Kharkiv oblast
    assert events_at("Ukrainian forces liberated Andriivka in the Bakhmut direction.", gazetteer, "capture",
                     (48.50, 37.97))


# Donbas: analysts name the Donetsk and Luhansk oblasts together, and the map draws them as one area
LUHANSK = (48.57, 39.31)
NOVOSELIVKAS_ELSEWHERE = (46.00, 29.61)  # the Odesa oblast namesake, chosen when nothing says Donbas


def _covers(geometry: dict, point: tuple[float, float]) -> bool:
    from shapely.geometry import Point, shape

    return shape(geometry).contains(Point(point[1], point[0]))


@pytest.mark.parametrize(("note", "event_type"), [
    ("Russian forces shelled positions in Donbas.", "strike"),
    ("Fighting continues in the Donbass region.", "battle"),
    ("Russian forces shelled the Donbas overnight.", "strike"),
])
def test_donbas_alone_is_one_event_on_the_area_of_both_oblasts(note, event_type, gazetteer):
    [event] = parse_text(note, gazetteer=gazetteer).events
    assert (event.event_type, event.place, event.place_kind, event.precision) == (
        event_type, "Donbas", "admin1", "oblast")
    # an area, like an oblast's: not a point standing for the region
    assert event.geometry["type"] in ("Polygon", "MultiPolygon")
    assert _covers(event.geometry, KRAMATORSK) and _covers(event.geometry, LUHANSK)
    assert _covers(event.geometry, BAKHMUT) and not _covers(event.geometry, KHARKIV)


@pytest.mark.parametrize("note", [
    "Russian forces shelled Bakhmut in Donbas.",
    "Shelling of Bakhmut, Donbas.",
    "Russian forces shelled Bakhmut in the Donbas region.",
])
def test_a_town_in_donbas_is_the_one_event_the_region_only_says_where(note, gazetteer):
    events = parse_text(note, gazetteer=gazetteer).events
    assert [(e.event_type, e.place, e.precision) for e in events] == [("strike", "Bakhmut", "place")]
    assert km((events[0].lat, events[0].lon), BAKHMUT) < 10


def test_donbas_after_a_village_chooses_its_namesake_in_donetsk_or_luhansk_oblast(gazetteer):
    for note in ("Russian forces shelled Novoselivka, Donbas.", "Russian forces shelled Novoselivka, Donetsk oblast."):
        [strike] = parse_text(note, gazetteer=gazetteer).events
        assert strike.place == "Novoselivka" and strike.precision == "place", note
        assert _covers(parse_text("Shelling in Donbas.", gazetteer=gazetteer).events[0].geometry,
                       (strike.lat, strike.lon)), note
    [alone] = parse_text("Russian forces shelled Novoselivka.", gazetteer=gazetteer).events
    assert km((alone.lat, alone.lon), NOVOSELIVKAS_ELSEWHERE) < 25  # what the region changes


@pytest.mark.parametrize(("note", "places"), [
    ("Fans gathered at the Donbas Arena.", ["Donbas Arena"]),  # the stadium in Donetsk, not the region
    ("Russian forces shelled the Donbass Arena in Donetsk.", ["Donbas Arena", "Donetsk"]),
    ("Shelling hit Novodonbaske and Donbasovka overnight.", ["Novodonbaske"]),  # no region inside a word
])
def test_donbas_inside_another_name_is_not_the_region(note, places, gazetteer):
    assert [p.name for p in parse_text(note, gazetteer=gazetteer).places] == places


@pytest.mark.parametrize("note", ["Shelling in Donbas and Zaporizhzhia.", "Shelling in Donetsk oblast and Zaporizhzhia."])
def test_a_regional_centre_listed_with_a_region_is_the_city(note, gazetteer):
    # the oblasts a text names draw villages to them, not a city of 700,000 named beside them
    events = parse_text(note, gazetteer=gazetteer).events
    assert events_at(note, gazetteer, "strike", (47.84, 35.14))
    assert len(events) == 2


def test_occupied_before_a_place_says_who_holds_it_and_is_no_capture(gazetteer):
    events = parse_text("Explosions reported at the airfield in Saky, occupied Crimea.", gazetteer=gazetteer).events
    assert [e.event_type for e in events] == ["strike"]
    assert [e.event_type for e in parse_text("Russian forces occupied Kherson.", gazetteer=gazetteer).events] \
        == ["capture"]


def test_a_side_claiming_a_capture_is_the_side_that_captured(gazetteer):
    (ev,) = parse_text("Russia claims capture of Ocheretyne; Ukraine has not confirmed.", gazetteer=gazetteer).events
    assert (ev.event_type, ev.place, ev.actors, ev.certainty) == ("capture", "Ocheretyne", ("Russia",), "claimed")


@pytest.mark.parametrize("caption", [
    "Satellite imagery shows destroyed bridges over the Siverskyi Donets near Bilohorivka.",
    "Ukrainian forces crossed the Seversky Donets River near Bilohorivka.",
])
def test_the_siverskyi_donets_is_a_river_not_the_village_of_donets(caption, gazetteer):
    events = parse_text(caption, gazetteer=gazetteer).events
    assert events and {e.place for e in events} == {"Bilohorivka"}


def test_a_captions_label_is_no_second_place_of_what_it_describes(gazetteer):
    # "Kharkiv:" labels the caption; "in Kharkiv" says which Bayrak: one event, at the village
    events = parse_text("Kharkiv: Residential houses destroyed in the village of Bayrak in Kharkiv.",
                        gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("civilian_harm", "Bairak")]


def test_isw_village_spelt_without_its_soft_ending_on_a_bearing_is_found(gazetteer):
    # ISW writes Дальнє as "Dalne" (KMU: Dalnie); the bracket says it is a place by Kurakhove
    events = parse_text("Russian milbloggers claimed that Russian forces seized Dalne (south of Kurakhove).",
                        gazetteer=gazetteer).events
    assert [(e.event_type, e.certainty) for e in events] == [("capture", "claimed")]
    assert km((events[0].lat, events[0].lon), (47.95, 37.27)) < 5


def test_a_list_after_a_serial_comma_keeps_its_places_with_a_date_after_it(gazetteer):
    note = ("Russian forces attacked near Myrnohrad, Lysivka, and Pishchane and Novotroitske (all southeast of "
            "Pokrovsk) on December 4 and 5.")
    assert [e.place for e in parse_text(note, gazetteer=gazetteer).events] == \
        ["Myrnohrad", "Lysivka", "Pishchane", "Novotroitske"]


# guns at work and ground raids, in captions; a police raid or a shot into a floor is neither
@pytest.mark.parametrize(("caption", "event_type", "point"), [
    ("Russian TOS-1A firing at Ukrainian positions near Marinka", "strike", MARINKA),
    ("Russian MLRS fires towards Kharkiv", "strike", KHARKIV),
    ("Ukrainian M777 firing near Bakhmut", "strike", BAKHMUT),
    ("Ukrainian special forces raid on Kinburn Spit", "battle", (46.57, 31.52)),
    ("Russian troops raided into Kharkiv", "battle", KHARKIV),
])
def test_captions_of_guns_firing_and_ground_raids(caption, event_type, point, gazetteer):
    assert events_at(caption, gazetteer, event_type, point), caption


@pytest.mark.parametrize("news", [
    "Police raid on a house in Kharkiv found stolen goods.",
    "A shot fired into the floor of a home in Kharkiv was an accident, police said.",
    "An air raid on Kharkiv overnight.",
])
def test_police_raids_and_stray_shots_are_no_battle_or_strike(news, gazetteer):
    types = [e.event_type for e in parse_text(news, gazetteer=gazetteer).events]
    assert "battle" not in types
    assert types.count("strike") <= (1 if "air raid" in news else 0)


@pytest.mark.parametrize(("caption", "event_type", "point"), [
    # kit seen with its markings, on the streets, or trucks of an army: presence
    ("Military vehicles with Z markings near Kharkiv", "troop_movement", KHARKIV),
    ("Tanks on the streets of Kherson", "troop_movement", KHERSON),
    ("Russian military trucks in Tokmak", "troop_movement", TOKMAK),
    # a side's vehicles destroyed, its dead, its tank on fire: that side's losses
    ("Destroyed Russian vehicles in Izium", "losses", IZIUM),
    ("Dead soldiers near Kupiansk", "losses", KUPIANSK),
    ("Russian tank on fire in Kharkiv", "losses", KHARKIV),
    # a fire at a fuel depot is where a strike fell
    ("Fire at oil depot in Kherson", "strike", KHERSON),
])
def test_captions_of_markings_streets_the_fallen_and_depot_fires(caption, event_type, point, gazetteer):
    assert events_at(caption, gazetteer, event_type, point), caption


def test_destroyed_vehicles_of_a_side_are_no_harm_to_civilians(gazetteer):
    types = {e.event_type for e in parse_text("Destroyed Russian vehicles in Izium", gazetteer=gazetteer).events}
    assert types == {"losses"}
    types = {e.event_type for e in parse_text("Dead soldiers near Kupiansk", gazetteer=gazetteer).events}
    assert types == {"losses"}


@pytest.mark.parametrize("source", ["the Ukrainian General Staff reported", "the General Staff said"])
def test_an_isw_list_keeps_its_last_village_before_the_source(source, gazetteer):
    text = f"Russian forces attacked near Robotyne, Verbove, and Novoprokopivka, {source}."
    events = [e for e in parse_text(text, gazetteer=gazetteer).events if e.event_type == "battle"]
    assert [e.place for e in events] == ["Robotyne", "Verbove", "Novoprokopivka"]
    assert {e.certainty for e in events} == {"claimed"}
    assert all(e.attributed_to and "General Staff" in e.attributed_to for e in events)


def test_a_town_written_with_its_republic_keeps_its_events(gazetteer):
    events = parse_text("One civilian was killed in an artillery strike in Gorlovka, DPR.", gazetteer=gazetteer).events
    assert {e.place for e in events} == {"Horlivka"}
    [strike] = parse_text("Shelling in the DPR.", gazetteer=gazetteer).events
    assert strike.place_kind == "admin1" and strike.precision == "oblast"


def test_a_regional_administrations_long_source_places_nothing(gazetteer):
    text = ("Russian forces attacked Nikopol district with drones and artillery, damaging a gas pipeline, "
            "Dnipropetrovsk Regional Military Administration head Serhii Lysak reported.")
    events = parse_text(text, gazetteer=gazetteer).events
    assert {e.place for e in events} == {"Nikopol"}  # not Dnipro, named in the source's title
    assert all("Serhii Lysak" in (e.attributed_to or "") for e in events)


@pytest.mark.parametrize("army", ["The occupiers", "The invaders", "Ruscists"])
def test_what_ukrainian_officials_call_the_russian_army_is_russia(army, gazetteer):
    [strike] = [e for e in parse_text(f"{army} struck the center of Kramatorsk with a missile.",
                                      gazetteer=gazetteer).events if e.event_type == "strike"]
    assert strike.actors == ("Russia",)


def test_a_raion_of_the_oblast_named_by_its_city_is_no_event_at_the_city(gazetteer):
    # "the Bakhmut district of Donetsk": Donetsk names the oblast the raion lies in
    events = parse_text("Shelling hit the Bakhmut district of Donetsk, damaging houses.", gazetteer=gazetteer).events
    assert {e.place for e in events} == {"Bakhmut"}


# ACLED's own layout: the raion and the oblast in brackets, each by its town's name
@pytest.mark.parametrize(("note", "place"), [
    ("On 7 March 2023, Russian military aircraft dropped guided aerial bombs on Vovchansk (Chuhuiv, Kharkiv). "
     "No casualties reported.", "Vovchansk"),
    ("On 12 March 2023, Ukrainian forces attacked Russian positions near Nova Kakhovka (Kakhovka, Kherson) "
     "with drones. Casualties unknown.", "Nova Kakhovka"),
    ("On 14 March 2023, Ukrainian and Russian forces clashed near Bilohorivka (Sievierodonetsk, Luhansk). "
     "Casualties unknown.", "Bilohorivka"),  # the raion by its town's name before the 2024 rename
    ("On 20 March 2023, Russian forces shelled Marinka (Pokrovsk, Donetsk). Casualties unknown.", "Marinka"),
    ("On 5 March 2023, Russian forces shelled Kherson city (Kherson, Kherson). 1 civilian was injured.", "Kherson"),
])
def test_an_acled_note_with_its_raion_and_oblast_in_brackets_is_at_the_place_alone(note, place, gazetteer):
    assert {e.place for e in parse_text(note, gazetteer=gazetteer).events} == {place}


def test_the_raion_in_acled_brackets_picks_the_namesake_in_it(gazetteer):
    # Stepanivka: dozens in Ukraine, five in Donetsk oblast; one in the Pokrovsk raion
    [ev] = parse_text("On 20 March 2023, Russian forces shelled Stepanivka (Pokrovsk, Donetsk). Casualties unknown.",
                      gazetteer=gazetteer).events
    assert ev.place == "Stepanivka" and km((ev.lat, ev.lon), (48.00, 37.32)) < 5


@pytest.mark.parametrize(("note", "event_type", "point"), [
    # ACLED's violence against civilians: detained, abducted, deported
    ("On 11 March 2023, Russian forces detained several civilians in Melitopol (Melitopol, Zaporizhia).",
     "civilian_harm", (46.85, 35.37)),
    ("Occupation authorities abducted the mayor of Kherson.", "civilian_harm", KHERSON),
    # a swap of prisoners however written
    ("Russia and Ukraine exchanged prisoners of war near Kharkiv.", "diplomacy", KHARKIV),
    ("Ukraine and Russia swapped 100 prisoners each in Kharkiv.", "diplomacy", KHARKIV),
])
def test_acled_detentions_and_exchanges(note, event_type, point, gazetteer):
    assert events_at(note, gazetteer, event_type, point), note


def test_a_detention_allowed_is_no_harm(gazetteer):
    text = "A judge ruled that the agents were entitled to detain people who were present in Kharkiv."
    assert not [e for e in parse_text(text, gazetteer=gazetteer).events if e.event_type == "civilian_harm"]


def test_what_is_shot_down_is_the_loss_of_the_side_named_after_the_verb(gazetteer):
    [loss] = [e for e in parse_text("Ukrainian forces shot down a Russian drone over Kyiv.", gazetteer=gazetteer).events
              if e.event_type == "losses"]
    assert loss.actors == ("Russia",)
    [loss] = parse_text("Ukrainian forces destroyed two Russian tanks near Bakhmut.", gazetteer=gazetteer).events
    assert loss.event_type == "losses" and loss.actors == ("Russia",)


@pytest.mark.parametrize("note", [
    "A tractor driver was injured when his tractor hit a mine near Snihurivka.",
    "Two farmers were killed by shelling in Snihurivka.",
])
def test_working_civilians_hurt_are_harm_to_civilians(note, gazetteer):
    assert events_at(note, gazetteer, "civilian_harm", (47.08, 32.81)), note


def test_an_acled_sub_event_label_belongs_to_the_notes_first_clause(gazetteer):
    note = ("Shelling: On 2 April 2023, Russian forces shelled Beryslav (Beryslav, Kherson) and "
            "Tiahynka (Beryslav, Kherson). Casualties unknown.")
    events = parse_text(note, gazetteer=gazetteer).events
    assert sorted(e.place for e in events) == ["Beryslav", "Tiahynka"]
    assert all(e.event_type == "strike" and e.actors == ("Russia",) and e.date == "2023-04-02" for e in events)


def test_a_general_staff_sector_picks_its_villages_even_spelled_otherwise(gazetteer):
    # "Myrolubivka" (the General Staff's spelling; the table's is Myroliubivka, of which Ukraine
    # has some twenty) by Pokrovsk, not the first namesake listed (in Crimea)
    text = ("In the Pokrovsk sector, our defenders repelled 26 enemy assault actions near Novotoretske, Lysivka, "
            "Myrolubivka and Novohrodivka.")
    events = {e.place: e for e in parse_text(text, gazetteer=gazetteer).events}
    assert {"Novotoretske", "Lysivka", "Myroliubivka", "Novohrodivka"} <= set(events)
    assert all(km((e.lat, e.lon), (48.28, 37.18)) < 35 for e in events.values())


# ISW since 2023: one verb, then the villages by their bearing from the direction's town,
# the groups apart by semicolons
POKROVSK_GROUPS = {"Pokrovsk": (48.28, 37.18), "Myroliubivka": (48.30, 37.37), "Promin": (48.27, 37.32),
                   "Myrnohrad": (48.31, 37.27), "Zvirove": (48.25, 37.13), "Kotlyne": (48.25, 37.05),
                   "Udachne": (48.24, 36.99)}


def test_an_isw_list_of_groups_apart_by_semicolons_gives_every_village(gazetteer):
    text = ("Russian forces continued offensive operations in the Pokrovsk direction on January 12, attacking "
            "near Pokrovsk itself; northeast of Pokrovsk near Myrolyubivka; east of Pokrovsk near Promin and "
            "Myrnohrad; and southwest of Pokrovsk near Zvirove, Kotlyne, and Udachne.")
    events = parse_text(text, gazetteer=gazetteer).events
    assert [e.place for e in events] == list(POKROVSK_GROUPS)
    assert {(e.event_type, e.actors) for e in events} == {("battle", ("Russia",))}
    assert all(km((e.lat, e.lon), POKROVSK_GROUPS[e.place]) < 5 for e in events)


def test_a_clause_after_a_semicolon_that_reports_something_else_is_no_list(gazetteer):
    events = parse_text("Russian forces shelled Kharkiv; Kyiv was quiet overnight.", gazetteer=gazetteer).events
    assert [e.place for e in events] == ["Kharkiv"]


@pytest.mark.parametrize("text", [
    "Ukrainian forces withdrew from Vuhledar to preserve personnel, the Khortytsia operational-strategic group "
    "announced on October 2.",
    "Ukrainian forces withdrew from Vuhledar, the Tavria group of forces reported.",
])
def test_a_group_of_forces_named_after_a_place_is_no_place(text, gazetteer):
    # Khortytsia is an island hromada by Zaporizhzhia, 200 km from Vuhledar
    events = parse_text(text, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("troop_movement", "Vuhledar")]


@pytest.mark.parametrize(("caption", "event_type", "side"), [
    ("Destroyed Leopard 2 tank near Robotyne.", "losses", "Ukraine"),
    ("HIMARS strike on Russian positions near Tokmak.", "strike", "Ukraine"),
    ("Kalibr missiles hit Lviv overnight.", "strike", "Russia"),
    ("Ukrainian forces shot down a Russian Orlan-10 UAV over Kramatorsk.", "losses", "Russia"),
])
def test_kit_only_one_side_fields_names_that_side(caption, event_type, side, gazetteer):
    events = parse_text(caption, gazetteer=gazetteer).events
    assert [(e.event_type, e.actors) for e in events] == [(event_type, (side,))]


def test_drones_shot_down_are_a_loss_and_an_attack_drones_strike_is_still_told(gazetteer):
    # a reconnaissance drone shot down is no strike by the side that downed it
    recon = parse_text("Ukrainian forces shot down a Russian Orlan-10 UAV over Kramatorsk.", gazetteer=gazetteer)
    assert [e.event_type for e in recon.events] == ["losses"]
    # seventeen Shaheds sent at Mykolaiv are Russia's attack, and the ten downed Russia's loss
    shaheds = parse_text("Ukrainian forces shot down 10 of 17 Shahed drones over Mykolaiv.", gazetteer=gazetteer)
    assert sorted((e.event_type, e.actors) for e in shaheds.events) == [
        ("losses", ("Russia",)), ("strike", ("Russia",))]


def test_a_missile_named_with_its_model_is_no_town(gazetteer):
    # Iskandar is a town in Uzbekistan: "two Iskander-M missiles" put a strike there
    events = parse_text("Russian forces struck a hotel in Kharkiv's Kyivskyi district with two Iskander-M missiles.",
                        gazetteer=gazetteer).events
    assert events and {e.place for e in events} == {"Kharkiv"}


@pytest.mark.parametrize(("text", "place"), [
    ("Zelensky met with Trump in Washington on February 28.", "Washington"),
    ("Putin met Xi Jinping in Moscow.", "Moscow"),
])
def test_leaders_meeting_are_talks_where_they_meet(text, place, gazetteer):
    events = parse_text(text, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("diplomacy", place)]


@pytest.mark.parametrize("text", ["Russian forces met with heavy resistance near Kupiansk.",
                                  "The Ukrainian advance met Russian minefields near Robotyne.",
                                  "The chef first met Bordainick when they both lived in New Orleans."])
def test_meeting_resistance_or_a_friend_is_no_talks(text, gazetteer):
    assert all(e.event_type != "diplomacy" for e in parse_text(text, gazetteer=gazetteer).events)


@pytest.mark.parametrize(("caption", "event_type", "side", "point"), [
    ("Ukrainian HIMARS destroyed near Kramatorsk.", "losses", "Ukraine", KRAMATORSK),
    ("Russian assault group wiped out near Krasnohorivka.", "losses", "Russia", (48.00, 37.51)),
    ("Footage shows Russian BMP-2 burning in Krasnohorivka.", "losses", "Russia", (48.00, 37.51)),
    ("Russian flag raised over Vuhledar administration building.", "capture", "Russia", (47.78, 37.25)),
])
def test_captions_of_kit_lost_units_wiped_out_and_flags(caption, event_type, side, point, gazetteer):
    events = parse_text(caption, gazetteer=gazetteer).events
    assert [(e.event_type, e.actors) for e in events] == [(event_type, (side,))]
    assert km((events[0].lat, events[0].lon), point) < 5


def test_a_strike_on_a_list_of_oblasts_closed_by_a_serial_comma_reaches_the_last(gazetteer):
    text = ("Russian forces launched a combined strike overnight on May 25 with 9 missiles and 355 Shahed drones "
            "against Kyiv, Kharkiv, Mykolaiv, and Dnipropetrovsk oblasts.")
    events = parse_text(text, gazetteer=gazetteer).events
    assert [e.place for e in events] == ["Kyivska oblast", "Kharkivska oblast", "Mykolaivska oblast",
                                         "Dnipropetrovska oblast"]
    assert {e.actors for e in events} == {("Russia",)}


def test_partisans_act_for_their_side(gazetteer):
    [blast] = parse_text("Ukrainian partisans blew up a railway line near Melitopol, disrupting Russian logistics.",
                         gazetteer=gazetteer).events
    assert blast.actors == ("Ukraine",) and blast.place == "Melitopol"


def test_the_attack_told_again_keeps_its_side_and_its_deaths(gazetteer):
    text = ("Russian forces struck Kostiantynivka with glide bombs on June 3. The attack on the town killed three "
            "civilians and damaged a hospital.")
    events = parse_text(text, gazetteer=gazetteer).events
    assert sorted((e.event_type, e.subtype, e.actors, e.place) for e in events) == [
        ("civilian_harm", "casualties", ("Russia",), "Kostiantynivka"), ("strike", None, ("Russia",), "Kostiantynivka")]


def test_the_city_named_again_by_its_kind_is_the_city_before(gazetteer):
    text = "Ukrainian forces withdrew from Avdiivka on February 17. The city had been under Russian assault since October."
    events = parse_text(text, gazetteer=gazetteer).events
    assert {(e.event_type, e.place) for e in events} == {("troop_movement", "Avdiivka"), ("battle", "Avdiivka")}
    [assault] = [e for e in events if e.event_type == "battle"]
    assert assault.actors == ("Russia",)


@pytest.mark.parametrize(("text", "expected"), [
    ("The Ukrainian military reported that Russian forces lost 1,560 personnel and 12 tanks over the past day.",
     {("losses", ("Russia",))}),
    ("A Ukrainian strike hit a Russian command post in Oleshky, killing a Russian colonel.",
     {("strike", ("Ukraine",)), ("losses", ("Russia",))}),
    ("Russian forces attacked Kramatorsk with an Iskander-M ballistic missile, damaging a residential building.",
     {("strike", ("Russia",)), ("civilian_harm", ("Russia",))}),
])
def test_losses_by_the_thousand_officers_killed_and_damage_done(text, expected, gazetteer):
    assert {(e.event_type, e.actors) for e in parse_text(text, gazetteer=gazetteer).events} == expected


def test_forces_that_have_not_advanced_made_no_move(gazetteer):
    events = parse_text("Russian forces have not made confirmed advances in the Lyman direction.", gazetteer=gazetteer)
    assert events.events == ()


def test_an_ocha_update_places_each_site_at_its_own_town(gazetteer):
    # "Selydove and a hospital" is no hospital named after Selydove
    events = parse_text("In Donetsk Oblast, shelling damaged a school in Selydove and a hospital in Myrnohrad.",
                        gazetteer=gazetteer).events
    assert {(e.event_type, e.place) for e in events} == {
        ("strike", "Selydove"), ("strike", "Myrnohrad"), ("civilian_harm", "Selydove"), ("civilian_harm", "Myrnohrad")}


def test_deaths_name_the_harm_a_damaged_building_tells_first(gazetteer):
    note = ("On 12 March, an attack on Kryvyi Rih damaged a five-storey residential building, killing four people "
            "and injuring 40 others, including 12 children, according to the Dnipropetrovsk Oblast Military "
            "Administration.")
    [harm] = [e for e in parse_text(note, gazetteer=gazetteer).events if e.event_type == "civilian_harm"]
    assert (harm.subtype, harm.place) == ("casualties", "Kryvyi Rih")


def test_a_spelling_put_on_a_bearing_after_a_comma_is_the_namesake_by_that_town(gazetteer):
    # "Pischane" is no table's spelling of Pishchane; of its namesakes, the one by Kupiansk
    [capture] = parse_text("Ukrainian forces recaptured Pischane, northwest of Kupiansk, according to the "
                           "Ukrainian General Staff.", gazetteer=gazetteer).events
    assert capture.place == "Pishchane" and km((capture.lat, capture.lon), KUPIANSK) < 35
