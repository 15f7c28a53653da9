"""Event triggers: the words that type an event, with subtypes.

Each trigger is a regular expression over one clause.  Order matters only
within a type (the first hit names the subtype).  ``loc`` says where a
trigger's event happens when no place is governed by a preposition:
``"subject"`` for phrases such as "Belarus being used as a launching point".
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


def _t(event_type: str, subtype: str | None, rx: str, loc: str | None = None) -> Trigger:
    return Trigger(event_type, subtype, re.compile(rx, re.I), loc)


_WEAPON = r"(?:missile|rocket|drone|artillery|mortar|bomb|shell|grad|smerch|uragan|iskander|kalibr|shahed|mlrs|himars)"

TRIGGERS: tuple[Trigger, ...] = (
    # strike
    _t("strike", "air strike", r"\b(?:air\s*-?\s*strikes?|airstrikes?|air\s+raids?|bombing\s+raids?|aerial\s+bombardment)\b"),
    _t("strike", "missile", r"\b(?:cruise\s+|ballistic\s+)?missiles?\b(?!\s+defen[cs]e)|\bmissile\s+(?:strike|attack)s?\b|\biskander|\bkalibr"),
    _t("strike", "rocket artillery", r"\b(?:rockets?|MLRS|grad|smerch|uragan|HIMARS|multiple\s+rocket)\b"),
    _t("strike", "drone strike", r"\b(?:drone|UAV|shahed|kamikaze)\s*(?:strikes?|attacks?|hit)?\b"),
    _t("strike", "shelling", r"\b(?:shell(?:ed|ings?|s)?|artillery|mortars?|bombard(?:ed|ment|ing)?)\b"),
    _t("strike", "bombing", r"\bbomb(?:ed|ing|s)?\b|\bcluster\s+munitions?\b"),
    _t("strike", "explosions", r"\b(?:explosions?|blasts?|exploded)\b"),
    _t("strike", None, r"\b(?:strikes?|striking|struck|hit\s+by|targeted|attacked)\b(?!\s+(?:a\s+)?deal)"),
    # battle
    _t("battle", "assault", r"\b(?:assaults?|stormed|storming|offensive|counter-?offensive|counter-?attack(?:s|ed)?)\b"),
    _t("battle", "fighting", r"\b(?:fighting|fought|clash(?:es|ed)?|battles?|firefights?|skirmish(?:es)?|combat\s+operations|engaged|gun-?battles?|gunfights?|shoot-?outs?|ambush(?:ed|es)?|(?:rebel|militant|separatist|insurgent)\s+(?:attacks?|fire))\b"),
    # capture
    _t("capture", "retaken", r"\b(?:recaptur(?:ed|e|ing)|retook|retaken|liberat(?:ed|ion|ing)|regain(?:ed)?\s+control)\b"),
    _t("capture", None, r"\b(?:captur(?:ed|e|ing)|seiz(?:ed|e|ing)|took\s+(?:control|over)|taken\s+(?:control|over)|fell\s+to|occupied|under\s+(?:\w+\s+)?control|overran)\b"),
    # encirclement
    _t("encirclement", "siege", r"\b(?:besieg(?:ed|ing)|sieges?|under\s+siege)\b"),
    _t("encirclement", "blockade", r"\b(?:blockad(?:ed|e|ing)|cut\s+off)\b"),
    _t("encirclement", None, r"\b(?:surround(?:ed|ing)?|encircl(?:ed|ement|ing)|cauldron)\b"),
    # troop movement
    _t("troop_movement", "staging", r"\b(?:launch(?:ing)?\s+(?:point|pad)|staging\s+(?:ground|area|point)|springboard)\b", loc="subject"),
    _t("troop_movement", "convoy", r"\b(?:convoys?|columns?\s+of\s+(?:tanks|vehicles|troops))\b"),
    _t("troop_movement", None, r"\b(?:troops?|forces|units|soldiers)\s+(?:\w+\s+)?(?:massed|moved|advanc(?:ed|ing)|deployed|entered|crossed|withdr[ae]w|retreat(?:ed|ing)|arrived|amass(?:ed|ing)?)\b|\b(?:deploy(?:ed|ment)|redeploy(?:ed|ment)|build-?up|withdrawal)\b"),
    # civilian harm
    _t("civilian_harm", "casualties", r"\bcivilians?\b[^.]{0,40}\b(?:killed|dead|died|wounded|injured|casualties)\b|\b(?:killed|killing|wounded|wounding|injured|injuring)\b[^.]{0,30}\b(?:civilians?|people|residents|children)\b|\bcivilian\s+(?:casualties|deaths)\b|\b(?:people|persons?|residents|children|child|boy|girl|woman|women|man|men|family|families|journalists?|volunteers?|medics?|doctors?|pensioners?|passers-?by|bodies|body)\b[^.]{0,40}\b(?:killed|dead|died|wounded|injured|shot|burn(?:ed|t))\b|\b(?:atrocit(?:y|ies)|executions?|executed|massacre|mass\s+graves?|tortured)\b"),
    _t("civilian_harm", "damage", r"\b(?:residential|apartment|hospital|clinic|school|kindergarten|maternity|homes?|houses?|buildings?|block|church|shop(?:ping)?|market|store|museum|theatre|theater|library|university|station|bridge|civilian\s+infrastructure|power\s+(?:plant|station|grid)|(?:civilian|residential|commercial)\s+areas?)\b[^.]{0,40}\b(?:hit|damaged|destroyed|struck|ruined|burn(?:ed|t|ing)|on\s+fire|collapsed|shot\s+at)\b|\b(?:damage|destruction)\s+(?:to|of|in)\b|\bdamaged\b|\bdestroyed\b"),
    # losses
    _t("losses", "logistics", r"\blogistics\b[^.]{0,30}\bfail|\b(?:out\s+of|without)\s+fuel\b|\babandon(?:ed|ing)\b"),
    _t("losses", None, r"\b(?:heavy\s+)?losses\b|\b(?:tanks?|vehicles|aircraft|helicopters?|jets?|planes?)\b[^.]{0,25}\b(?:destroyed|lost|shot\s+down|downed)\b|\bshot\s+down\b|\b(?:soldiers?|troops|servicem[ae]n|militiam[ae]n|fighters?|militants?|rebels?|separatists?|gunmen|paratroopers?|marines?|combatants?)\b[^.]{0,30}\b(?:killed|dead|died|wounded|lost)\b|\bkill(?:s|ed)?\b[^.]{0,30}\b(?:soldiers?|troops|servicem[ae]n|militiam[ae]n|fighters?|militants?|rebels?|separatists?)\b|\bkilled\s+in\s+action\b"),
    # mobilisation
    _t("mobilization", "exit ban", r"\b(?:prohibit(?:ed|s)?|bar(?:red|s)?|ban(?:ned|s)?|forbid(?:den|s)?)\s+(?:all\s+)?(?:men|males)\b|\bexit\s+ban\b"),
    _t("mobilization", "arming civilians", r"\b(?:offer(?:ed|ing)|gave|giving|distribut(?:ed|ing)|hand(?:ed|ing)\s+out|arm(?:ed|ing))\s+(?:\w+\s+)?(?:civilians?|citizens|residents|volunteers)\b[^.]{0,20}\b(?:weapons|arms|rifles|guns)?|\bMolotov\s+cocktails\b"),
    _t("mobilization", "prisoner release", r"\bfreedom\s+to\s+prisoners\b|\bprisoners\b[^.]{0,40}\b(?:fight|combat)\b"),
    _t("mobilization", None, r"\b(?:mobili[sz](?:ation|ed|ing|e)|conscript(?:ion|s|ed)?|martial\s+law|reservists?|call-?up|territorial\s+defen[cs]e|draft(?:ed)?)\b"),
    # diplomacy
    _t("diplomacy", "accession bid", r"\b(?:accession|membership)\b"),
    _t("diplomacy", "ceasefire", r"\b(?:ceasefire|cease-fire|truce|armistice)\b"),
    _t("diplomacy", "talks", r"\b(?:peace[\s-]+talks|talks|negotiat(?:ions?|ed|ing|e)|summit|delegations?\s+met|meeting)\b"),
    _t("diplomacy", "agreement", r"\b(?:agreement|accord|deal)\s+(?:was\s+)?(?:signed|reached|agreed)\b|\bsigned\b[^.]{0,30}\b(?:agreement|accord|deal)\b"),
    # strategic
    _t("strategic", "nuclear posture", r"\bnuclear\b[^.]{0,40}\b(?:alert|readiness|forces|deterrent|weapons|drills?)\b|\bhigh\s+alert\b"),
    _t("strategic", "sanctions", r"\bsanctions?\b|\bembargo\b|\bSWIFT\b"),
    _t("strategic", "no-fly zone", r"\bno-?fly\s+zone\b"),
    # humanitarian
    _t("humanitarian", "evacuation", r"\bevacuat(?:ion|ed|ing|e)\b|\bhumanitarian\s+corridors?\b"),
    _t("humanitarian", "refugees", r"\brefugees?\b|\b(?:fled|fleeing|displaced)\b"),
    _t("humanitarian", "aid", r"\bhumanitarian\s+(?:aid|convoy|assistance)\b|\baid\s+(?:convoy|deliver(?:y|ies))\b"),
    # protest
    _t("protest", None, r"\bprotest(?:s|ers|ed|ing)?\b|\bdemonstrat(?:ion|ions|ors|ed)\b|\brall(?:y|ies)\b"),
)

ANY_TRIGGER = re.compile("|".join(f"(?:{t.pattern.pattern})" for t in TRIGGERS), re.I)
"""One pass over a sentence tells whether any trigger could fire in it."""
