"""Event triggers: the words that type an event, with subtypes.

Each trigger is a regular expression over one clause.  Order matters only
within a type (the first hit names the subtype).  ``loc`` says where a
trigger's event happens when no place is governed by a preposition:
``"subject"`` for phrases such as "Belarus being used as a launching point".
``needs`` says what a trigger needs around it to count: ``"subject_place"``
(a place right before it: "Enerhodar fell"), ``"object_place"`` (a place right
after it: "took Kupiansk"), ``"place"`` (either), or ``"alone"`` (no other
event in the sentence: the terse caption "Russian tanks in Kharkiv").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Trigger:
    event_type: str
    subtype: str | None
    pattern: re.Pattern
    loc: str | None = None
    needs: str | None = None


def _t(event_type: str, subtype: str | None, rx: str, loc: str | None = None,
       needs: str | None = None) -> Trigger:
    return Trigger(event_type, subtype, re.compile(rx, re.I), loc, needs)


_WEAPON = r"(?:missile|rocket|drone|artillery|mortar|bomb|shell|grad|smerch|uragan|iskander|kalibr|shahed|mlrs|himars)"
# a weapon word swallows the "attack", "strike", "fire" or "barrage" after it, so that
# "rocket attack" is one strike and not also an assault (see events._triggers_in)
_AFTER = r"(?:\s+(?:attacks?|strikes?|fire|barrages?|shelling|raids?|hits?))?"
_CIVIL_SITE = (r"(?:residential|apartments?|hospitals?|clinic|medical|pharmacy|school|kindergarten|maternity|"
               r"homes?|houses?|buildings?|block|church|cathedral|mosque|synagogue|shop(?:ping)?|"
               r"supermarket|market|store|mall|cinema|theatre|theater|museum|library|university|"
               r"institute|station|bridge|playground|park|hotel|cafe|restaurant|bank(?!\s+of\b)|cemetery|monument|"
               r"memorial|stadium|factory|plant|cent(?:re|er)|concert\s+hall|sanatorium|dealership|grain\s+terminal|"
               r"ambulances?|bus\s+stop|parking(?:\s+lot)?|car\s+park|fire\s+station|water\s+(?:supply|treatment)|(?:oil|fuel|bus|tram)\s+depot|substation|dormitory|office|"
               r"facilit(?:y|ies)|warehouses?|garages?|gas\s+station|petrol\s+station|port|"
               r"(?:civilian|public|critical|energy|port)\s+infrastructure|power\s+(?:plant|station|grid|lines?)|"
               r"(?:civilian|residential|commercial|industrial)\s+(?:areas?|district|neighbou?rhoods?)|"
               r"civilian\s+(?:cars?|vehicles?|bus(?:es)?|trains?)|village|neighbou?rhoods?)")
_HARM_VERB = (r"(?:hit|damaged|destroyed|struck|ruined|burn(?:ed|t|ing)|on\s+fire|ablaze|fires?|smoke|collapsed|shot\s+at|"
              r"shelled|bombed|impacted|targeted|attacked|looted|came\s+under|comes?\s+under)")
_MILITARY = (r"(?:soldiers?|troops|servicem[ae]n|militiam[ae]n|fighters?|militants?|rebels?|separatists?|"
             r"gunmen|paratroopers?|marines?|combatants?|defenders?|invaders|occupiers|saboteurs|"
             r"border\s+guards|artillerymen|mercenaries|conscripts|personnel|police(?:m[ae]n)?|policem[ae]n)")
# kit by its model or kind, no word a civilian thing shares
_MODELS = (r"humvees?|hmmwvs?|BMPs?(?:-\d)?|BMDs?(?:-\d)?|BTRs?(?:-\d+)?|MT-LBs?|APCs?|IFVs?|MRAPs?|"
           r"T-[5-9]\d\w*|TOS-1\w*|BM-\d{2}\w*|Msta(?:-\w+)?|Bradleys?|Leopards?|Abrams|Strykers?|M777s?|"
           r"Pantsirs?|Buks?|S-[34]00s?|Grads?|Smerchs?|Uragans?|(?:Ka|Mi|Su|MiG)-\d+\w*|self-propelled\s+guns?|armou?r|pontoon\s+bridges?|"
           r"HIMARS|M142s?|M270s?|Caesars?|Krabs?|Gvozdikas?|Akatsiyas?|Giatsints?|Bayraktars?|Orlan-\d+s?")
_MATERIEL = (r"(?:tanks?|howitzers?|mortars?|MLRS|launchers?|radars?|air\s+defen[cs]e|armou?red\s+vehicles?|"
             r"military\s+(?:vehicles?|equipment|units?)|equipment|ammunition|ammo\s+depots?|"
             r"command\s+posts?|positions|units|strongholds?|fortifications?|helicopters?|aircraft|"
             r"(?:fighter\s+)?jets?|planes?|drones?|warships?|vessels?|boats?|group|brigades?|battalions?|trucks?|"
             r"armou?red\s+personnel\s+carriers?|infantry\s+fighting\s+vehicles?|columns?|convoys?|" + _MODELS + ")")
# military kit, named before what happened to it ("Russian T-72 destroyed"): no word that a
# civilian thing shares ("trucks", "boats", "group")
_KIT = (r"tanks?|vehicles|aircraft|helicopters?|jets?|(?:war)?planes?|howitzers?|MLRS|launchers?|radars?|"
        r"armou?red\s+vehicles?|military\s+(?:vehicles?|equipment)|warships?|" + _MODELS)
# what is taken from an enemy but is not territory: "captured a Russian tank"
_NP_WORD = r"(?!(?:from|in|at|near|to|by|of|on|into|and|or|with|after|before|as)\b)[\w-]+\s+"
_BOOTY = r"(?:\s+(?:" + _NP_WORD + r"){0,3}?(?:" + _MATERIEL[3:-1] + "|" + _MILITARY[3:-1] + r"|prisoners?|POWs?))\b"

TRIGGERS: tuple[Trigger, ...] = (
    # strike
    _t("strike", "air strike", r"\b(?:air\s*-?\s*strikes?|airstrikes?|air\s+raids?(?!\s+(?:sirens?|alerts?|alarms?|warnings?|shelters?))|"
       r"bombing\s+raids?|aerial\s+bombardment|"
       r"helicopter\s+(?:attacks?|fire|gunships?))\b"),
    _t("strike", "missile", r"\b(?:cruise\s+|ballistic\s+)?missiles?" + _AFTER + r"\b(?!\s+defen[cs]e)|\biskander|\bkalibr"),
    _t("strike", "rocket artillery", r"\b(?:rockets?|MLRS|grad(?:s|y)?|smerch|uragan|HIMARS|multiple\s+rocket)" + _AFTER + r"\b"),
    _t("strike", "drone strike", r"\b(?:drone|UAV|shahed|kamikaze|loitering\s+munitions?|lancets?|FPVs?|gerans?)(?:\s*(?:strikes?|attacks?|hits?))?\b"),
    _t("strike", "shelling", r"\b(?:shell(?:ed|ings?|s)?|artillery|mortars?|bombard(?:ed|ment|ing)?|barrages?)" + _AFTER + r"\b"),
    _t("strike", "bombing", r"\bbomb(?:ed|ing|s)?\b|\bcluster\s+munitions?\b|\bKABs?\b|\bglide\s+bombs?\b"),
    # remnants and marks of explosive weapons: the strike itself is the event
    _t("strike", "cluster munitions", r"\b(?:sub-?munitions?|cargo\s+warheads?|bomblets?)\b"),
    _t("strike", "incendiary", r"\b(?:incendiar(?:y|ies)|thermite|white\s+phosphorus|thermobaric)\b"),
    _t("strike", "explosions", r"\b(?:explosions?|blasts?|exploded|detonat(?:ed|ion)|blown\s+up|bl(?:ow|ows|owing|ew)\s+up|booby[\s-]?traps?|IEDs?|"
       r"landmines?|(?:land\s+)?mine\s+(?:blasts?|explosions?))\b"),
    _t("strike", "impact", r"\b(?:craters?|(?:weapon|munition)\s+(?:remnants?|fragments?)|munitions?|warheads?|projectiles?|ordnance|unexploded|"
       r"impact(?:s|ed)?\s+(?:of|on|in|into|near|at|outside)|impacted)\b"),
    _t("strike", "fire", r"\b(?:open(?:ed|s|ing)?\s+fire|fired\s+(?:on|at|upon)|under\s+(?:\w+\s+){0,2}fire|"
       r"fire\s+(?:damage|defeat|strikes?)|firing\s+(?:on|at|upon|towards?|into)|fir(?:es|ed)\s+towards?)\b|"
       # a caption's gun at work: "TOS-1A firing near Marinka", "Russian MLRS fires from Belgorod"
       r"\b(?:artillery|howitzers?|mortars?|MLRS|launchers?|guns?|" + _MODELS + r")\s+(?:\w+\s+)?(?:firing|fir(?:es|ed))\b"),
    # not a road accident: "struck by a car", "hit by a train"
    _t("strike", None, r"\b(?:strikes?|striking|struck|hit\s+by|targeted|attacked)\b(?!\s+(?:a\s+)?deal)"
       r"(?!\s+(?:by\s+)?(?:a\s+|an\s+|the\s+)?(?:cars?|vehicles?|trucks?|trains?|bus|motorists?|drivers?|"
       r"motorcycles?|vans?|taxis?|lightning)\b)"),
    # a military site hit: "Black Sea Fleet headquarters hit in Sevastopol"
    _t("strike", None, r"\b(?:headquarters|HQ|command\s+posts?|air\s*bases?|airfields?|barracks|"
       r"(?:ammunition|ammo|arms|weapons?|fuel|oil)\s+(?:depots?|dumps?|stores?))\b[^.]{0,20}?\b"
       r"(?:hit|blown\s+up|ablaze|on\s+fire|burning|explod(?:es|ed|ing))\b|"
       # or a caption's fire there: "Fire at oil depot in Chernihiv"
       r"\b(?:fires?|blaze|explosions?|blasts?)\s+(?:at|in|on)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?"
       r"(?:ammunition|ammo|arms|weapons?|fuel|oil)\s+(?:depots?|dumps?|stores?)\b"),
    # battle
    _t("battle", "repelled attack",
       r"\b(?:repel(?:led|s|ling)?|repuls(?:ed|e|es|ing)|fought\s+off|fight\s+off|beat\s+back|beaten\s+back|"
       r"push(?:ed|ing)?\s+back|thwart(?:ed|s)?|foil(?:ed|s)?)\s+(?:\w+\s+){0,3}?"
       r"(?:attacks?|assaults?|offensives?|advances?|attempts?|incursions?|them|the\s+enemy|enemy)\b|"
       r"\b(?:attacks?|assaults?|offensives?|advances?)\s+(?:was|were|has\s+been|have\s+been)\s+"
       r"(?:repelled|repulsed|beaten\s+back|pushed\s+back|thwarted|foiled)\b"),
    _t("battle", "ceasefire violation",
       r"\b(?:violat(?:e|es|ed|ing|ions?)|breach(?:es|ed|ing)?|broke|break(?:s|ing)?|fractur(?:e|es|ed))\s+"
       r"(?:of\s+)?(?:the\s+)?(?:\w+\s+){0,2}?(?:ceasefire|cease-fire|truce)\b|"
       r"\b(?:ceasefire|cease-fire|truce)\s+(?:violations?|breach(?:es)?)\b"),
    _t("battle", "raid", r"\b(?:sabotage(?:\s+and\s+reconnaissance)?\s+(?:groups?|raids?|units?)|DRGs?|"
       r"cross-border\s+raids?|incursions?)\b|"
       # a raid by fighting men, not an air raid or a police raid: "special forces raid on Kinburn Spit"
       r"\b(?:special\s+forces|special\s+operations|commandos?|troops|forces|units|soldiers|marines|paratroopers|"
       r"partisans|saboteurs|amphibious|naval|helicopter|cross-border|ground)\s+(?:\w+\s+)?"
       r"raid(?:s|ed|ing)?\s+(?:on|into|across|behind)\b"),
    _t("battle", "clearing", r"\bclear(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?(?:trench(?:es)?|positions|tree\s*lines?|"
       r"forest\s+belts?|dugouts?)\b"),
    _t("battle", "assault", r"\b(?:assaults?|stormed|storming|to\s+storm|break(?:s|ing)?\s+through|broke\s+through|breakthrough|offensive|counter-?offensive|counter-?attack(?:s|ed)?)\b"),
    _t("battle", "fighting", r"\b(?:fighting|fought|clash(?:es|ed)?|battles?|firefights?|skirmish(?:es)?|combat\s+operations|engaged|(?:positional|ground|combat|armed|military)\s+engagements?|gun-?battles?|gunfights?|shoot-?outs?|ambush(?:ed|es)?|(?:rebel|militant|separatist|insurgent)\s+(?:attacks?|fire)|"
       r"confrontations?|hostilities|(?:in|night|heavy|fierce|street|urban|close|intense|ongoing)\s+combat)\b"),
    # an attack by forces with no weapon named: an assault (a named weapon makes it a strike)
    _t("battle", "attack", r"\battacks?\b(?!\s+(?:aircraft|helicopters?|drones?))|"
       # ground forces attacking near a place or along an axis ("Russian forces attacked near
       # Synkivka", "attacked northwest of Kupyansk", "attacked Russian positions near X"): no
       # strike on the place itself
       r"\b(?:forces|troops|units|infantry|soldiers|brigades?|battalions?|assault\s+groups?)\s+(?:\w+\s+){0,2}?"
       r"attack(?:ed|s|ing)\s+(?:(?:the\s+)?(?:enemy|Russian|Ukrainian)\s+(?:positions|defen[cs]es|lines)\b|"
       r"near|toward|towards|along|in\s+the\s+(?:\w+\s+){1,2}?direction|"
       r"in\s+the\s+direction\s+of|(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)\b"),
    # capture
    _t("capture", "retaken", r"\b(?:recaptur(?:ed|es?|ing)|retook|retaken|retakes?|liberat(?:ed|es?|ion|ing)|regain(?:ed|s)?\s+control|"
       r"(?:push(?:ed|ing)?|drove|driven|forc(?:ed|ing)|kick(?:ed|ing)?|expell(?:ed|ing)?|clear(?:ed|ing)?)\s+"
       r"(?:\w+\s+){0,3}?out\s+of)\b"),
    # "under X control" and "taken (full) control" make a capture; events.py keeps out a
    # defender's own hold ("remained under Ukrainian control")
    _t("capture", None, r"\b(?:captur(?:ed|e|ing)|seiz(?:ed|e|ing))\b(?!" + _BOOTY + r")|"
       r"\b(?:(?:took|taken|take[sn]?|taking)\s+over|"
       r"(?:took|taken|take[sn]?|taking|seized|gained|established|regained|claim(?:ed|s|ing)?|declared)\s+"
       r"(?:\w+\s+){0,2}?control|"
       r"under\s+(?:\w+\s+){0,2}?control|overr?an|overrun)\b"),
    # verbs that are a capture only with the place they govern: "took Kupiansk" (not "took
    # place"), "Enerhodar fell" (not "shells fell"), "Kherson was occupied" (not "the
    # occupied city")
    _t("capture", None, r"\b(?:took|taken|take[sn]?|taking)\b(?!\s+(?:place|part|over|control|off|up|out|down|"
       r"back|away|hold|refuge|shelter|cover|responsibility|care|steps?|measures?|action|aim|fire|hits?)\b)",
       needs="object_place"),
    # a headline's present tense, only with the place it takes ("Russia captures Lysychansk",
    # not "the album captures the energy")
    _t("capture", None, r"\b(?:captures|seizes)\b(?!" + _BOOTY + r")", needs="object_place"),
    _t("capture", None, r"\b(?:fell|fallen|falls)\b(?:\s+to\b)?", needs="subject_place"),
    # a flag raised over a place marks who holds it now ("Ukrainian flag raised in Balakliia")
    _t("capture", "flag raised", r"\bflags?\s+(?:\w+\s+){0,2}?(?:raised|hoisted|planted|flies|flying|returned)\b|"
       r"\b(?:rais(?:e|ed|es|ing)|hoist(?:s|ed|ing)?|plant(?:s|ed|ing)?)\s+(?:\w+\s+){0,3}?flags?\b"),
    _t("capture", None, r"(?<!the\s)(?<!-)(?<!temporarily\s)(?<!\bin\s)(?<!,\s)(?<!\bof\s)(?<!from\s)(?<!into\s)"
       r"(?<!near\s)(?<!\bat\s)(?<!\bto\s)\boccup(?:ied|y|ies|ying)\b", needs="place"),
    # encirclement
    _t("encirclement", "siege", r"\b(?:besieg(?:ed|ing)|sieges?|under\s+siege)\b"),
    _t("encirclement", "blockade", r"\b(?:blockad(?:ed|e|ing)|cut\s+off)\b"),
    # "the surrounding settlements" only says where
    _t("encirclement", None, r"\b(?:surround(?:ed|ing(?!\s+(?:settlements?|villages?|areas?|towns?|communit(?:y|ies)|"
       r"regions?|countryside|territor(?:y|ies)|districts?|neighbou?rhoods?|suburbs|cities|streets|houses|"
       r"buildings|fields|forests?|hills|oblasts?)\b))?|encircl(?:ed|ement|ing)|cauldron)\b"),
    # troop movement
    _t("troop_movement", "staging", r"\b(?:launch(?:ing)?\s+(?:point|pad)|staging\s+(?:ground|area|point)|springboard)\b", loc="subject"),
    _t("troop_movement", "withdrawal", r"\b(?:(?:troops?|forces|units|soldiers|army|military)\s+(?:\w+\s+){0,2}?)?(?:withdr[ae]wn?|withdrawing|withdrawal|withdraws?|retreat(?:ed|ing|s)?|"
       r"pull(?:ed|ing|s)?\s+(?:out|back)|fled)\s+(?:\w+\s+){0,3}?from\b"),
    _t("troop_movement", "convoy", r"\b(?:(?<!aid\s)(?<!relief\s)(?<!humanitarian\s)(?<!inter-agency\s)convoys?|columns?\s+of\s+(?:\w+\s+){0,2}?(?:tanks|vehicles|troops|trucks|armou?r|"
       r"equipment)|armou?red\s+columns?)\b"),
    _t("troop_movement", None, r"\b(?:troops?|forces|units|soldiers|army|tanks|paratroopers|columns?|armou?r)\s+(?:\w+\s+){0,2}?"
       r"(?:massed|massing|on\s+the\s+move|moved|moving|advanc(?:ed|ing|es?)|deployed|entered|entering|crossed|crossing|withdr[ae]w|withdrawing|"
       r"retreat(?:ed|ing)|arrived|amass(?:ed|ing)?|approach(?:ed|ing)|reached|reaching|pushed|pushing|"
       r"head(?:ed|ing)|march(?:ed|ing)|roll(?:ed|ing)|landed|regroup(?:ed|ing)|pull(?:ed|ing)\s+back|"
       r"gather(?:ed|ing)|concentrat(?:ed|ing))\b|"
       # a caption's present tense, the verb right after its noun ("Ukrainian forces enter Kherson")
       r"\b(?:troops?|forces|units|soldiers|army|tanks|paratroopers|columns?)\s+(?:enters?|moves?|advances?|"
       r"cross(?:es)?|arrives?|approach(?:es)?|reach(?:es)?|push(?:es)?|heads?|march(?:es)?|rolls?|lands?|"
       r"retreats?|regroups?|mass(?:es)?)\b|"
       # ground won without a settlement taken: "regained positions near Robotyne", "made advances"
       r"\bregain(?:ed|s|ing)?\s+(?:\w+\s+){0,2}?(?:positions|ground)\b|"
       r"\b(?:forces|troops|units)\s+(?:\w+\s+){0,2}?(?:made|make|makes|making)\s+(?:\w+\s+){0,2}?advances\b|"
       r"\b(?:deploy(?:ed|ment)|redeploy(?:ed|ment)|build-?up|withdrawal|reinforcements|"
       r"advance(?:d|s)?\s+(?:on|towards?))\b"),
    # a terse caption reporting presence: "Russian tanks in Kharkiv", "Helicopters over Luhansk"
    _t("troop_movement", "presence", r"\b(?:tanks?|forces|troops|soldiers|servicemen|military\s+equipment|"
       r"equipment|helicopters?|armou?r|armou?red\s+vehicles?|(?:military|army)\s+(?:vehicles?|trucks?)|vehicles|APCs?|IFVs?|"
       r"BMPs?|BTRs?|convoys?|jets?|aircraft|warships?|columns?|units|paratroopers|marines|checkpoints?|"
       r"Iskanders?|howitzers?|MLRS|fighters|mercenaries|Wagner|" + _MODELS + r"|"
       r"(?:trench(?:es)?|fortifications?|positions?|roadblocks?)\s+dug)\s+"
       # "with Z markings": the letters Russian kit is painted with
       r"(?:(?:with|bearing|marked\s+with)\s+(?:\w+\s+){0,2}?(?:markings?|symbols?|signs?|insignias?|flags?)\s+)?"
       r"(?:(?:were|are|was|is|have\s+been|spotted|seen|filmed|sighted|moving|positioned|stationed|reported|"
       r"flying(?:\s+low)?|operating|active|massing|gathering|deployed|dug\s+in|rolling|driving|passing)\s+)?"
       r"(?:in|over|near|at|around|outside|inside|entering|through|on\s+the\s+outskirts\s+of|"
       r"(?:on|in)\s+the\s+streets?\s+of)\b|"
       # troops digging in: "Russian troops dig trenches near Zaporizhzhia"
       r"\b(?:troops|forces|soldiers|units)\s+(?:dig|digs|digging|dug|build|builds|building|built)\s+(?:\w+\s+){0,2}?"
       r"(?:trench(?:es)?|fortifications?|defen[cs]es|dragon['’]?s\s+teeth)\b", needs="alone"),
    # civilian harm
    _t("civilian_harm", "casualties", r"\bcivilians?\b[^.]{0,40}\b(?:killed|dead|died|dies?|wounded|injured|injur(?:y|ies)|casualties|hit|harmed|fatal)\b|\b(?:kill(?:s|ed|ing)?|wound(?:s|ed|ing)?|injur(?:es|ed|ing))\b[^.]{0,30}\b(?:civilians?|people|residents?|children|child|(?:\d+|one|two|three)-year-olds?|women|woman|pensioners?)\b|\bcivilian\s+(?:casualties|deaths|fatalities)\b|\b(?:people|persons?|residents?|children|child|boy|girl|woman|women|man|men|family|families|journalists?|volunteers?|medics?|doctors?|pensioners?|passers-?by|bodies|body|victims?|individuals?|residents?|drivers?|farmers?|tractor\s+drivers?|fishermen|fisherman|firefighters?|rescuers?|teachers?|priests?|workers?|employees?|electricians?|deminers?|sappers?\s+of\s+the\s+State\s+Emergency\s+Service)\b[^.]{0,40}\b(?:killed|dead|died|wounded|injured|shot|burn(?:ed|t))\b|\b(?:atrocit(?:y|ies)|executions?|executed|massacre|mass\s+graves?|tortured|torture\s+(?:chambers?|pits?)|murder(?:ed|s)?)\b|"
       r"\b(?:dead\s+)?bod(?:y|ies)\b[^.]{0,40}\b(?:civilian|residential|street|road|yard|cellar|basement|graves?|highway)\b|"
       r"\b(?:shoot(?:s|ing)?|shot|fir(?:ed|es|ing))\s+(?:at|on|upon|into)\s+(?:\w+\s+){0,2}?(?:civilians?|people|persons?|"
       r"residents?|children|cars?|vehicles?|homes?|houses?)\b|"
       r"\bbodies\s+(?:\w+\s+){0,3}?(?:found|lying|discovered|recovered|exhumed)\b|"
       r"\bhands\s+(?:were\s+)?(?:tied|bound)\b|\b(?:ran|runs?|running)\s+over\s+(?:\w+\s+){0,2}?(?:civilians?|people|cars?|vehicles?)\b|\b(?:found|discovered|recovered|exhumed)\s+(?:\w+\s+){0,3}?bodies\b"),
    # civilians taken: "detained several civilians in Melitopol", "abducted the mayor", "deported children"
    # (done, not allowed: "were entitled to detain people" is no event)
    _t("civilian_harm", "detention", r"\b(?:detain(?:ed|ing)|abduct(?:ed|ing)|kidnapp?(?:ed|ing)|deport(?:ed|ing)|"
       r"forcibly\s+(?:disappeared|transferred|removed))\s+(?:\w+\s+){0,3}?(?:civilians?|residents?|children|child|"
       r"journalists?|volunteers?|activists?|mayors?|teachers?|priests?|people|women|men|family|families)\b|"
       r"\b(?:abduction|deportation|forced\s+(?:deportation|transfer|disappearance))s?\s+of\s+(?:\w+\s+){0,2}?"
       r"(?:civilians?|residents?|children|journalists?|activists?|mayors?|people|Ukrainians)\b"),
    _t("civilian_harm", "looting", r"\b(?:loot(?:ed|ing|s)?|pillag(?:ed|ing)|steal(?:s|ing)?|stole|stolen|robb(?:ed|ing|ery))\b"),
    _t("civilian_harm", "damage", r"\b" + _CIVIL_SITE + r"\b[^.]{0,40}\b" + _HARM_VERB + r"\b|"
       # a strike, or its marks, at a civilian site: the site is harmed
       r"\b(?:strikes?|shelling|attacks?|hits?|impacts?|explosions?|fires?(?!\s+(?:facilit|station|department|brigade|service))|firing|shooting|shot|smoke|aftermath|craters?|"
       r"damages?|destruction|remnants?|munitions?|warheads?|struck|exploded|landed|embedded|burn(?:ed|t)-out|"
       r"collapsed|ruined|razed|gutted)\b"
       r"[^.]{0,60}?\b" + _CIVIL_SITE + r"\b|"
       r"\b(?:damages?|destruction)\b|\bdamag(?:ed|ing(?!\s+to\b))\b|\bdestroy(?:ed|ing)\b|"
       # a strike's toll on the grid is the civilians' ("power outage after strikes in Kharkiv")
       r"\b(?:power|electricity|water|heating|gas)\s+(?:outages?|cuts?|shortages?)\b|\bblackouts?\b"),
    # losses
    _t("losses", "logistics", r"\blogistics\b[^.]{0,30}\bfail|\b(?:out\s+of|without)\s+fuel\b|\babandon(?:ed|ing)\b"),
    _t("losses", None, r"\b(?:heavy\s+)?losses\b|\b(?:" + _KIT + r")\b[^.]{0,25}\b(?:destroyed|lost|shot\s+down|downed|"
       r"knocked\s+out|(?:hit|struck)\s+by)\b|"
       # what is shot down is part of the loss: "shot down a Russian Orlan-10 UAV" is no drone strike
       # (but "shot down 10 of 17 Shahed drones" tells of an attack by them)
       r"\bshot\s+down\b(?:\s+(?:an?|the|two|three|\d+)?\s*(?:(?!shaheds?\b|gerans?\b|kamikaze\b|lancets?\b|"
       r"attack\b)[\w-]+\s+){0,3}?(?:drones?|UAVs?|helicopters?|planes?|aircraft|jets?)\b)?|"
       r"\b" + _MILITARY + r"\b[^.]{0,30}\b(?:killed|dead|died|dies?|wounded|lost|eliminated|wiped\s+out|annihilated)\b"
       r"(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|a|an|the|several|dozens|many|"
       r"civilians?|people|residents?)\b)|\bkill(?:s|ed|ing)?\b[^.]{0,30}\b(?:" + _MILITARY[3:-1] + r"|officers?|"
       r"commanders?|colonels?|generals?|lieutenants?|sergeants?)\b|"
       r"\b(?:killed|wounded|died)\s+in\s+(?:action|combat|battle)\b|\b(?:KIA|WIA|MIA)\b|"
       # a caption's fallen and burning kit: "Dead soldiers near Sumy", "Russian tank on fire in Kharkiv"
       r"\b(?:dead|killed|fallen|slain)\s+(?:\w+\s+)?" + _MILITARY + r"\b|"
       r"\b(?:" + _KIT + r")\s+(?:\w+\s+)?(?:on\s+fire|ablaze|in\s+flames|burning|burns|burnt|burned\s+out)\b|"
       # a unit destroyed whole: "Russian assault group wiped out near Krasnohorivka"
       r"\b(?:assault|sabotage|reconnaissance|recon|landing)\s+(?:groups?|teams?|squads?|units?)\s+(?:was\s+|were\s+)?"
       r"(?:wiped\s+out|annihilated|destroyed|eliminated|neutrali[sz]ed)\b|"
       # a side's vehicles are military ones: "Destroyed Russian vehicles in Bucha"
       r"\b(?:destroy(?:ed|s)?|burn(?:ed|t)(?:-out)?|wrecked|abandoned|damaged)\s+(?:Russian|Ukrainian|enemy|army)\s+"
       r"(?:\w+\s+)?(?:vehicles?|trucks?|cars?|columns?|convoys?)\b|"
       r"\b(?:" + _KIT + "|" + _MILITARY[3:-1] + r")\s+(?:(?:were|was|being|been)\s+(?:captured|taken\s+prisoner)|"
       r"captured(?=\s*(?:[,.;:]|$|(?:by|near|in|at|on|outside|around|after|during|while)\b))|"  # not "troops captured Kherson"
       r"taken\s+prisoner|surrender(?:s|ed|ing)?)\b|"
       r"\beliminat(?:ed|es|e|ing)\s+(?:\w+\s+){0,4}?(?:" + _MILITARY[3:-1] + "|" + _MATERIEL[3:-1] + r"|enemy)\b|"
       r"\b(?:destroy(?:ed|s)?|downed|damaged|disabled|knock(?:ed|s)?\s+out|burn(?:ed|t|ing)(?:-out)?|wrecked|abandoned|captur(?:ed|es)|seiz(?:ed|es))\s+(?!by\b)"
       r"(?:" + _NP_WORD + r"){0,4}?(?:" + _MATERIEL[3:-1] + "|" + _MILITARY[3:-1] + r"|forces)\b|"
       r"\bdown(?:s|ed|ing)?\s+(?:an?\s+|the\s+|two\s+|\d+\s+)?(?:\w+\s+)?(?:helicopters?|planes?|aircraft|jets?|drones?)\b|"
       r"\blos(?:t|es|ing|e)\s+(?:[\w,]+\s+){0,3}?(?:" + _MILITARY[3:-1] + r"|servicemen|people|tanks?|planes?|aircraft|helicopters?|vehicles)\b|"
       r"\binflict(?:ed|s|ing)?\s+(?:heavy\s+)?(?:losses|casualties|(?:\w+\s+){0,3}?defeat)\b|"
       # prisoners of war held, and a military aircraft down in a crash, are losses too
       r"(?<!exchanged\s)(?<!exchange\s)(?<!swapped\s)(?<!\bof\s)\b(?:POWs?|prisoners\s+of\s+war)\b|"
       r"(?<!civilian\s)(?<!passenger\s)(?<!cargo\s)\b(?:jets?|helicopters?|bombers?|warplanes?|"
       r"Su-\d+|Mi-\d+|Ka-\d+)\s+(?:\w+\s+){0,2}?(?:crash(?:ed|es|ing)?|went\s+down)\b|"
       # a ship sunk, and the funerals of the fallen, are losses too
       r"\b(?:warships?|ships?|vessels?|cruisers?|frigates?|corvettes?|submarines?|boats?|flagship)\b[^.]{0,25}\b"
       r"(?:sunk|sank|sinks|sinking)\b|\bs(?:a|u)nk\s+(?:\w+\s+){0,3}?(?:warships?|ships?|vessels?|cruisers?|"
       r"frigates?|corvettes?|submarines?|boats?|flagship)\b|\bfunerals?\s+(?:\w+\s+){0,3}?(?:of|for)\s+"
       r"(?:\w+\s+){0,2}?" + _MILITARY + r"\b"),
    # mobilisation
    _t("mobilization", "exit ban", r"\b(?:prohibit(?:ed|s)?|bar(?:red|s)?|ban(?:ned|s)?|forbid(?:den|s)?)\s+(?:all\s+)?(?:men|males)\b|\bexit\s+ban\b"),
    _t("mobilization", "arming civilians", r"\b(?:offer(?:ed|ing)|gave|giving|distribut(?:ed|ing)|hand(?:ed|ing)\s+out|arm(?:ed|ing))\s+(?:\w+\s+)?(?:civilians?|citizens|residents|volunteers)\b[^.]{0,20}\b(?:weapons|arms|rifles|guns)?|\bMolotov\s+cocktails\b"),
    _t("mobilization", "prisoner release", r"\bfreedom\s+to\s+prisoners\b|\bprisoners\b[^.]{0,40}\b(?:fight|combat)\b"),
    # a curfew is an emergency restriction the state lays on its own civilians, like
    # martial law and exit bans, which the taxonomy puts under mobilisation; it is
    # not aid or evacuation (humanitarian) nor an external posture (strategic)
    _t("mobilization", "curfew", r"\bcurfews?\b"),
    _t("mobilization", None, r"\b(?:mobili[sz](?:ation|ed|ing|e)|conscript(?:ion|s|ed)?|martial\s+law|reservists?|call-?up|territorial\s+defen[cs]e|draft(?:ed)?)\b"),
    # diplomacy
    _t("diplomacy", "accession bid", r"\b(?:accession|membership)\b"),
    _t("diplomacy", "prisoner exchange", r"\b(?:prisoners?|POWs?|captives)\s+(?:exchanges?|swaps?)\b|"
       r"\b(?:exchange|swap)\s+of\s+(?:\w+\s+){0,2}?(?:prisoners|POWs|captives|bodies)\b|"
       r"\b(?:exchanged|swapped|exchanging|swapping|exchange|swap)\s+(?:\w+\s+){0,3}?(?:prisoners|POWs|captives|bodies)\b"),
    _t("diplomacy", "ceasefire", r"\b(?:ceasefire|cease-fire|truce|armistice)\b"),
    _t("diplomacy", "talks", r"\b(?:peace[\s-]+talks|talks|negotiat(?:ions?|ed|ing|e)|summit|delegations?\s+met|meeting)\b|"
       # leaders meeting: "Zelensky met with Trump", "Putin met Xi" (not "met with resistance", nor a
       # chef who met a friend)
       r"\b(?:met|meets)\s+(?:with\s+)?(?:(?:the\s+)?(?:US|U\.S\.|American|Russian|Ukrainian|Chinese|Turkish|French|"
       r"German|British|Polish|Hungarian|his|her|their)\s+)?(?:President|Prime\s+Minister|Chancellor|Foreign\s+Minister|"
       r"Secretary\s+of\s+State|counterparts?|envoys?|delegations?|Trump|Biden|Putin|Zelensk\w*|Xi|Erdogan|Macron|"
       r"Scholz|Merz|Starmer|Lukashenko|Tusk|Orban|Rubio|Witkoff|Lavrov|Kuleba|Sybiha|Yermak|Umerov)\b"),
    _t("diplomacy", "agreement", r"\b(?:agreement|accord|deal)\s+(?:was\s+)?(?:signed|reached|agreed)\b|\bsigned\b[^.]{0,30}\b(?:agreement|accord|deal)\b"),
    # strategic
    _t("strategic", "nuclear posture", r"\bnuclear\b[^.]{0,40}\b(?:alert|readiness|forces|deterrent|weapons|drills?)\b|\bhigh\s+alert\b"),
    _t("strategic", "sanctions", r"\bsanctions?\b|\bembargo\b|\bSWIFT\b"),
    _t("strategic", "no-fly zone", r"\bno-?fly\s+zone\b"),
    # humanitarian
    _t("humanitarian", "evacuation", r"\bevacu(?:ation|ated|ating|ate|ees?)\b|\bhumanitarian\s+corridors?\b"),
    _t("humanitarian", "refugees", r"\brefugees?\b|\b(?:fled|fleeing|displaced)\b"),
    _t("humanitarian", "aid", r"\bhumanitarian\s+(?:aid|convoy|assistance)\b|\baid\s+(?:convoy|deliver(?:y|ies))\b|"
       r"\b(?:inter-agency|relief)\s+convoys?\b|"
       r"\bdeliver(?:ed|s|ing|y|ies)?\s+(?:of\s+)?(?:\w+\s+){0,3}?(?:aid|food|water|supplies|assistance|medicines?)\b"),
    # protest
    _t("protest", None, r"\bprotest(?:s|ers|ed|ing)?\b|\bdemonstrat(?:ion|ions|ors|ed)\b|\brall(?:y|ies)\b"),
    # deaths with no word on who died (soldiers or civilians): a pin, typed no further
    _t("other", "fatalities", r"\b(?:death\s+toll|kill(?:s|ed|ing)?|dead|deaths?|died|fatalities|casualties|"
       r"wounded|injured)\b"),
)

ANY_TRIGGER = re.compile("|".join(f"(?:{t.pattern.pattern})" for t in TRIGGERS), re.I)
"""One pass over a sentence tells whether any trigger could fire in it."""
