"""English cue phrases around event triggers: negation, modality, claims, denials,
failures, the roles of places, and who acts.

Data only: the logic that reads them is in ``geo.parse.claims`` (certainty,
attribution, denials, failures) and ``geo.parse.binding`` (which place an
event happened at).  Another language plugs in by giving patterns of the same
names and meanings.
"""

from __future__ import annotations

import re

from geo.lexicon import DEMONYMS, LEADERS
from geo.parse._gates import fold

# -- negation, modality, reporting -----------------------------------------------
NEGATION = re.compile(
    r"\b(?:not|no(?!\.?\s*\d)|never|nor|failed\s+to|fails?\s+to|unable\s+to|without|"
    r"ruled?\s+out|false|rumou?rs?\s+(?:of|that)|\w+n['’]t)\b", re.I)
DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed)|rejected\s+(?:claims|reports)|dismissed\s+(?:claims|reports))\b",
    re.I)
# "may", but not the month: "On 3 May 2023", "May 3", "in May", "of May"
MODAL = re.compile(
    r"\b(?:expected\s+to|will|would|could|might|(?<!\d\s)(?<!\bin\s)(?<!\bof\s)may(?!\s+\d)|shall|should|plans?\s+to|planned\s+to|planning\s+to|"
    r"intends?\s+to|threaten(?:s|ed)?\s+to|willing\s+to|ready\s+to|prepared\s+to|open\s+to|"
    r"wants?\s+to|wanted\s+to|hopes?\s+to|aims?\s+to|attempt(?:s|ed|ing)?\s+(?:by\s+(?:[\w-]+\s+){1,6}?)?to|"
    r"tr(?:y|ied|ying)\s+to|"
    r"if|unless|unlikely|possibl[ey]|potential(?:ly)?|risk\s+(?:of|for)|fears?\s+(?:of|that)|"
    r"warn(?:s|ed)?\s+(?:of|that)|call(?:s|ed)?\s+(?:for|on)|believe|demand(?:s|ed|ing)?|"
    r"order(?:s|ed)?\s+\w+\s+to|asked\s+\w+\s+to)\b", re.I)
NEGATED_AFTER = re.compile(
    r"\b(?:was|were|been|is|are|be)\s+(?:\w+\s+)?(?:declined|rejected|cancell?ed|called\s+off|"
    r"postponed|denied|refuted|averted)\b|\bunlikely\b|\bdid\s+not\s+(?:happen|take\s+place)\b", re.I)
# right after the trigger, with .match: "Casualties unknown", "fatalities: none"
UNKNOWN_AFTER = re.compile(r"\W{0,3}(?:(?:are|were|was|is|remain|remained)\s+)?(?:unknown|not\s+(?:known|reported)|none|"
                           r"unclear|unconfirmed)\b", re.I)
REPORTED = re.compile(
    r"\b(?:reports?\s+(?:of|that)|reportedly|reported|allegedly|unconfirmed|rumou?red)\b", re.I)
# a conjunction that starts a new finite clause: negation or modality before it
# does not reach past it ("rebels will pay as missiles kill 23 soldiers")
SCOPE_BREAK = re.compile(
    r"\b(?:as|after|when|while|because|since|following|amid|despite|but|and\s+then)\s+"
    r"(?!soon\b|well\b|long\b|if\b)", re.I)

# -- failure: a negated or attempted capture is fighting, not a capture ------------
FAILED = re.compile(
    r"\b(?:failed\s+to|fails?\s+to|unable\s+to|not\s+able\s+to|did\s+not|didn['’]t|could\s+not|couldn['’]t|"
    r"never\s+(?:managed\s+to\s+)?|was\s+not\s+able\s+to|have\s+not|has\s+not|had\s+not|"
    r"unsuccessful(?:ly)?(?:\s+(?:attempts?|efforts?)\s+to)?|in\s+vain)\b", re.I)
ATTEMPTED = re.compile(
    r"\b(?:attempt(?:s|ed|ing)?\s+(?:by\s+(?:[\w-]+\s+){1,6}?)?to|tr(?:y|ies|ied|ying)\s+to|sought\s+to|seeking\s+to|push(?:ed|ing)?\s+to|"
    r"effort(?:s)?\s+to|bid\s+to|attempts?\s+(?:at|of))\b", re.I)
# "repelled an assault", "beat back an attempt" in the same clause: the attempt failed
REPELLED = re.compile(
    r"\b(?:repel(?:led|s|ling)?|repuls(?:ed|e|es|ing)|fought\s+off|beat(?:en)?\s+back|thwart(?:ed|s)?|"
    r"foil(?:ed|s)?|stopped|halted|unsuccessful)\b", re.I)

# -- who said so -----------------------------------------------------------------
# a source named after the sentence: "..., the city's mayor said." / "..., said the mayor."
SAID_AFTER = re.compile(
    r",\s*(?:(?P<who>(?:the\s+|a\s+)?[^,.;:!?\"“”]{2,90}?)\s+(?:said|says|claimed|claims|stated|reported|"
    r"announced|added|told\s+\w+)|(?:said|says|claimed|stated|announced|added)\s+"
    r"(?P<who2>(?:the\s+|a\s+)?[^,.;:!?\"“”]{2,60}?))\s*[.!]?[\"”’']?\s*$")
# a wire headline's source after a dash at the end: "... in past 24 hours - JFO HQ"
DASH_SOURCE = re.compile(r"(?:\s[-–—]|:)\s+(?P<who>[A-Za-z][\w'’.]*(?:\s+[\w'’.]+){0,4})\s*$")
# what leads a speaker's name but is not part of it: "By the afternoon the governor said"
TIME_LEAD = re.compile(
    r"^(?:(?:by|on|in|at|during|after|before|since|until|late|early|earlier|later)\s+"
    r"(?:the\s+|this\s+|that\s+|last\s+|on\s+)?(?:\w+\s+)?(?:morning|afternoon|evening|night|day|weekend|"
    r"week|month|time|hour|dawn|dusk|noon|midday|midnight|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d+)"
    r"|overnight|yesterday|today|tonight|meanwhile|then|later|earlier|now)\b\s*,?\s*", re.I)
ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?(?P<who>[^,.;:]{2,60}?)\s*(?=[,.;:]|$)", re.I)
ACCORDING_START = re.compile(r"\s*according\s+to\b", re.I)  # a clause that opens with it
SAID = re.compile(
    r"(?:^|[,“\"]\s*)(?P<who>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z\w'’.-]+){0,5}?)"
    r"(?:\s+\([A-Z][\w.-]{0,11}\))?\s+(?:has\s+|have\s+|had\s+)?(?:said|says|claimed|claims|stated|announced|told\s+\w+|reported|noted)\b")
SPEECH_VERB = re.compile(r"said|says|claimed|claims|stated|announced|told|reported|noted")
# the speaker speaks of itself: "Russia claimed to have captured", "said it had taken",
# "said its troops": the act is the speaker's side's
SELF_REFERENCE = re.compile(
    r"^\s*(?:,\s*)?(?:that\s+)?(?:to\s+(?:have\s+)?|it\s+(?:had|has|have|was|is|now)\b|its\b|their\b|"
    r"they\s+(?:had|have|were)\b|we\b|our\b|(?:full\s+|total\s+)?control\b|"
    r"(?:the\s+)?(?:capture|seizure|takeover|liberation)\s+of\b)", re.I)  # "Russia claims capture of X"
POSSESSIVE_FORCES = re.compile(
    r"\b(?:its|their|our)\s+(?:own\s+)?(?:\w+\s+)?(?:troops|forces|army|units|soldiers|"
    r"military|servicemen|fighters)\b", re.I)
# a clause that denies what was said before it: "but Ukraine denied it", "Kyiv denied this."
DENIAL_OF_BEFORE = re.compile(
    r"^(?:but|however|and|yet|although|though|while)?\s*,?\s*(?P<who>[^,;:]{0,60}?)\s*"
    r"(?:has\s+|have\s+|had\s+|later\s+|quickly\s+|swiftly\s+|strongly\s+|flatly\s+)*"
    r"(?:den(?:y|ies|ied)|refut(?:e|es|ed)|dismiss(?:ed|es)?|reject(?:ed|s)?)\s*"
    r"(?:it|this|that|these|those|the\s+(?:\w+\s+)?(?:claims?|reports?|statements?|allegations?)|"
    r"such\s+(?:claims?|reports?)|(?:its|their|the)\s+(?:\w+\s+)?(?:capture|fall|loss))?\s*[.!]?\s*$", re.I)

# a denial tacked on after the claim: "..., a claim Kyiv rejected", "..., which Ukraine denied"
CLAIM_DENIED_AFTER = re.compile(
    r",\s*(?:(?:a|the)\s+(?:claim|report|statement|assertion)s?\s+(?:that\s+)?|which\s+)(?P<who>[^,.;]{1,50}?)\s+"
    r"(?:has\s+|had\s+|have\s+|quickly\s+|later\s+)?(?:denied|rejected|dismissed|refuted|disputed)\b", re.I)
DENIAL_WORD = re.compile(r"den(?:y|ies|ied)|refut|dismiss|reject", re.I)  # every DENIAL_OF_BEFORE holds one

# -- the roles of places -----------------------------------------------------------
LOCATIVE = re.compile(
    r"\b(?:in|at|near|on|around|outside|into|across|over|towards?|toward|of|from|inside|along|to|"
    r"within|throughout|between|off)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
LIST_CONTINUATION = re.compile(r"^\s*(?:,|and|or|&|,\s*and|,\s*or)\s*(?:the\s+)?$", re.I)
# where a movement or a shot came from is not where it happened
ORIGIN = re.compile(r"\b(?:from|out\s+of)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
BEARING = r"(?:(?:north|south)(?:[ -]?(?:east|west))?|east|west)"
"""A compass bearing as reports write it: "north", "south-east", "northwest" (then "of")."""
# a place named as a reference point: "south of Kyiv", "40 km north of Kharkiv", "10 km from Izium"
# (but "in the north of Kyiv" is inside it)
REFERENCE = re.compile(
    r"(?:\b\d[\d.,]*\s*-?\s*(?:km|kms|kilometres?|kilometers?|miles?|mi)\b(?:\s+\w+){0,2}?"
    r"|(?<!the\s)\b(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west))\s+(?:of|from)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I)
# a town naming an axis of the front, not where anything happened: "in the Siversk direction",
# "on the Kupiansk axis", "in the Pokrovsk sector", "in the direction of Kostiantynivka"
DIRECTION_AFTER = re.compile(r"[ \t]+(?:direction|axis|sector)\b", re.I)
DIRECTION_BEFORE = re.compile(r"\b(?:in|on)\s+the\s+direction\s+of\s+(?:the\s+)?$", re.I)
CYRILLIC_DIRECTION = r"(?:напрям(?:ок|ку|і|ки|ках)|направлени(?:е|и|ях))(?![^\W\d_])"
"""A line of advance after its town's adjective: "на Покровському напрямку", "на Купянском направлении"."""
DIRECTION_AFTER_CYRILLIC = re.compile(rf"\s+{CYRILLIC_DIRECTION}", re.I)
ANY_DIRECTION = re.compile(r"direction|axis|sector|напрям|направлени", re.I)
"""A word every way of naming a line of advance holds."""
# a place standing for its state or army: "Kiev troops", "Moscow officials"
METONYM_AFTER = re.compile(r"(?:['’]s)?\s+(?:forces|troops|military|army|officials|authorities|government|"
                                 r"regime|leadership|militias?|side|command)\b", re.I)
# a capital speaking for its government: "Kyiv did not comment", "Moscow announced"
SPEAKS_AFTER = re.compile(
    r"(?:['’]s\s+\w+)?\s+(?:has\s+|have\s+|had\s+|did\s+not\s+|didn['’]t\s+|would\s+not\s+|has\s+not\s+|"
    r"quickly\s+|later\s+|also\s+|swiftly\s+|flatly\s+)*"
    r"(?:said|says|say|announced?|announces|claim(?:s|ed)?|den(?:y|ies|ied)|comment(?:ed|s)?|confirm(?:s|ed)?|"
    r"stated?|states|reported|report|accus(?:ed|es)|warn(?:ed|s)?|insist(?:ed|s)?|respond(?:ed|s)?|"
    r"repl(?:ied|ies)|declined|refused|reject(?:ed|s)|acknowledg(?:ed|es)|admit(?:ted|s)?|blamed?|"
    r"called|demand(?:ed|s)?|responded|hit\s+back|retorted|dismissed)\b", re.I)
# a river, not the city of its name: "across the Dnipro", "crossed the Dnipro", "along the Donets"
RIVER_BEFORE = re.compile(
    r"\b(?:across|cross(?:ed|es|ing)?|along|over|beyond|bank(?:s)?\s+of|shore\s+of|side\s+of|up|down)\s+the\s+$",
    re.I)
# a place naming a facility near it: "Zaporizhzhia nuclear power plant", "Kharkiv tram depot"
FACILITY_AFTER = re.compile(
    r"\s+(?:(?:(?!(?:and|or)\b)\w+\s+){0,2}?(?:plant|station|depot|airport|airfield|river|bridge|dam|port|cinema|"
    r"hospital|university|institute|school|market|mall|factory|NPP|base|park|cemetery|stadium|refinery|"
    r"reservoir|terminal|railway|metro|tram|bus|oil|power|nuclear|thermal|hydro|water|gas)|"
    # "Donetsk and Zaporozhye directions": each names a line of advance
    r"(?:\w+\s+){0,2}?(?:directions?|axis|axes|sectors?))\b", re.I)
# a country as the owner of what follows ("Russia's war") acts; it is not a location
POSSESSOR = re.compile(r"['’]s\b")
# a passive or intransitive verb whose subject is where it happened: "Kharkiv was shelled"
PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|being|be|got|gets|get)\s+(?:(?:\w+ly|also|again|then|now|later|"
    r"reportedly|completely|fully|partially|heavily)\s+)?$", re.I)
SUBJECT_GAP = re.compile(  # with .match(text, pos, endpos)
    r"\s*(?:,?\s*(?:which|that|where)\s+)?(?:(?:has|had|have|finally|reportedly|also|then|now|"
    r"quickly|effectively|soon|later|eventually|had\s+been|has\s+been|was|were|is|are)\s+){0,3}$", re.I)
OBJECT_GAP = re.compile(  # with .match(text, pos, endpos)
    r"\s*(?:(?:the|a|an|all\s+of|control\s+of|most\s+of|part\s+of|parts\s+of|much\s+of)\s+)?"
    r"(?:(?!(?:to|in|into|at|from|near|by|for|with|on|over|after|before|toward|towards)\b)[\w'’-]+\s+){0,4}?"
    r"(?:of\s+)?$", re.I)
HOLD_BEFORE = re.compile(
    r"\b(?:remain(?:s|ed|ing)?|still|kept|keeps?|keeping|retain(?:s|ed|ing)?|hold(?:s|ing)?|"
    r"held|maintain(?:s|ed|ing)?|firmly|continues?\s+to\s+be|stays?|stayed)\s+(?:\w+\s+){0,2}$", re.I)
UNDER_CONTROL = re.compile(r"\bunder\s+(?:the\s+)?(?:\w+\s+){0,2}?control\b", re.I)
ANAPHORA = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+)?$", re.I)

# -- who acts ----------------------------------------------------------------------
DEMONYM = re.compile(rf"\b(?:{'|'.join(DEMONYMS)})\b", re.I)
# the side named just before a thing: "Russian T-72 destroyed", "Russian armour"
DEMONYM_BEFORE = re.compile(rf"\b(?P<d>{'|'.join(DEMONYMS)})\s+$", re.I)
# ... and named just after the verb: "shot down a Russian drone", "destroyed two Ukrainian tanks"
DEMONYM_AFTER = re.compile(rf"\s+(?:an?\s+|the\s+|\d+\s+|two\s+|three\s+|several\s+)?(?P<d>{'|'.join(DEMONYMS)})\b", re.I)
# kit only one side fields: whose a loss or a strike is when no side is written
_WEAPONS_OF = (
    ("RU", re.compile(r"\b(?:shaheds?|gerans?|lancets?|orlan(?:-10|-30)?s?|kalibrs?|iskanders?|kinzhals?|zircons?|"
                      r"kh-\d+\w*|KABs?|tu-(?:22m?\d?|95\w*|160)|ka-52s?|tos-1a?|tornado-s)\b", re.I)),
    ("UA", re.compile(r"\b(?:himars|atacms|bayraktars?|storm\s+shadows?|scalp|neptunes?|leopards?|bradleys?|abrams|"
                      r"caesars?|m777s?|patriots?|iris-t|nasams|f-16s?|stugna)\b", re.I)),
)


def weapon_side(text: str, start: int, end: int) -> str | None:
    """The country whose kit ``text[start:end]`` names, when it names only one side's."""
    sides = {cc for cc, pattern in _WEAPONS_OF if pattern.search(text, start, end)}
    return sides.pop() if len(sides) == 1 else None


def losing_side(text: str, tm: re.Match, cs: int, ce: int) -> str | None:
    """The country that lost what a losses trigger's match ``tm`` tells of: the side named in
    it, just before it or just after its verb ("destroyed a Ukrainian humvee", "Russian T-72
    destroyed", "shot down a Russian drone"), else the side whose kit it or the words after it
    name ("shot down an Orlan-10", "shot down 10 of 17 Shahed drones")."""
    d = DEMONYM.search(tm.group(0))
    side = d.group(0) if d else None
    if side is None and (b := DEMONYM_BEFORE.search(text, max(cs, tm.start() - 30), tm.start())):
        side = b.group("d")
    if side is None and (b := DEMONYM_AFTER.match(text, tm.end(), ce)):
        side = b.group("d")
    return DEMONYMS[fold(side)] if side else weapon_side(text, tm.start(), min(ce, tm.end() + KIT_REACH))


KIT_REACH = 40
"""How far after a losses verb the kit it tells of is read: "shot down 10 of 17 Shahed drones"
(Ukrainian and Russian too: "спалили ворожу БМП")."""


AGENT = (r"(?:forces|troops|army|military|soldiers|administration|government|officials?|president|"
         r"delegation|authorities|navy|air\s+force|artillery|units?|side|defenders|ministry|"
         r"command|leadership|tanks|jets|aircraft|invaders|occupiers|separatists|logistics|"
         r"border\s+guards|police|missiles?|drones?|strikes?|general\s+staff|milbloggers?|"
         r"sources?|officers?|marines|paratroopers|brigades?|battalions?|regiments?|divisions?|"
         r"humvees?|vehicles?|equipment|helicopters?|armou?r|warships?|ships?|convoys?|columns?|"
         r"BMPs?|BTRs?|APCs?|IFVs?|howitzers?|positions|milbloggers|sappers|gunners|tanks?|shelling|shells|"
         r"bombs?|rockets?|air\s*strikes?|aviation|warplanes?|planes?|bombers?|attacks?|offensive|advance|"
         r"lancets?|shaheds?|assaults?|sabotage\s+groups?|partisans?|guerrillas?|saboteurs?|special\s+services|intelligence)")
DEMONYM_AGENT = re.compile(rf"\b(?P<d>{'|'.join(DEMONYMS)})\s+(?:\w+\s+)?{AGENT}\b", re.I)
LEADER = re.compile(rf"\b(?:{'|'.join(LEADERS)})\b", re.I)
OBJECT_PREP = re.compile(r"\b(?:in|at|near|on|into|across|over|towards?|of|from|to|against|with|"
                               r"within|for|inside|around|between|grant|give|join)\s+(?:the\s+)?$", re.I)
# an agent after these is the one who acted: "fell to Russian forces", "captured by Russia"
AGENT_PREP = re.compile(r"\b(?:by|(?:fell|fallen|falls|lost|surrendered|went)\s+to)\s+(?:the\s+)?$", re.I)
ELLIPTIC_START = re.compile(r"^(?:and|but|with|then|also|has|have|had|is|are|was|were|being|having|"
                                  r"leaving|killing|forcing|\w+ed\b|\w+ing\b)", re.I)
PRONOUN_START = re.compile(r"^(?:they|it|he|she|their|its|(?:the|this)\s+(?:attacks?|strikes?|shelling|"
                           r"bombardment|assault|raid|explosions?|blasts?))\b", re.I)
"""A sentence opening so refers back: its actors are those of the sentence before ("The
attack on the town killed three civilians")."""
PLACE_ANAPHORA = re.compile(r"\b(?:the|this)\s+(?:city|town|village|settlement)\b(?!\s+(?:of|council|hall|administration)\b)",
                            re.I)
"""A place named again by its kind ("the town", "the village"): the place of the sentence before."""
