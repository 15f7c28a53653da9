"""Case forms of Ukrainian and Russian place names, by ending rules.

Texts in Ukrainian and Russian inflect place names ("у Києві", "под Харьковом",
"у Великій Новосілці"); the gazetteer holds them in the nominative.  These
pure functions make every case form of a name from its nominative, so the
forms can be matched like names: one automaton pass, no analysis per word
(see :mod:`geo.parse.cyrillic`).

The rules cover the declensions place names take: hard and soft masculine
nouns (with the Ukrainian і -> о/е alternation of Харків -> Харкова,
Київ -> Києва), feminine nouns in -а/-я/-ія (with к/г/х -> ц/з/с before -і),
neuter nouns and adjectival neuters (Запоріжжя, Нескучне, Покровское),
plurals (Суми, Черкаси, Тимоновичі) and agreeing adjectives in multi-word
names (Велика Новосілка, Кривий Ріг's first word).  A name's letters tell
which language's rules apply (і ї є ґ: Ukrainian; ы э ё ъ: Russian;
neither: both).  Rules over-generate a little; a form is kept only where it
matches a whole capitalised word, and every match is checked in context.
"""

from __future__ import annotations

import functools

import re

UK_ONLY = frozenset("іїєґ")
RU_ONLY = frozenset("ыэёъ")
VOWELS = frozenset("аеєиіїоуюяыэё")
_SIBILANT = frozenset("жчшщ")
_UK_PALATAL = {"к": "ц", "г": "з", "х": "с", "ґ": "дз"}


def languages_of(word: str) -> tuple[str, ...]:
    """Which languages' rules a (lower-case) Cyrillic name takes: ``("uk",)``, ``("ru",)`` or both."""
    letters = set(word)
    if letters & UK_ONLY or "'" in word:
        return ("uk",)
    if letters & RU_ONLY:
        return ("ru",)
    return ("uk", "ru")


def _add(out: set[str], stem: str, *endings: str) -> None:
    for e in endings:
        out.add(stem + e)


_CLOSED_I = re.compile(r"([аеєиіїоуюя'й])?([ії])([^аеєиіїоуюяь']{1,2})$")
"""An і (ї after a vowel) in a final closed syllable: Харків, Львів, Київ, Тернопіль."""


def _uk_oblique_stems(word: str) -> list[str]:
    """The word, and its stem with і -> о or е (ї -> є after a vowel) in the last syllable:
    Харків -> Харков-, Київ -> Києв-, Тернопіль -> Тернопол-, Ірпінь -> Ірпен-."""
    stems = [word]
    m = _CLOSED_I.search(word)
    if m and len(word) > 3:
        after_vowel = m.group(1) and m.group(1) in VOWELS | {"'", "й"} or m.group(2) == "ї"
        for swap in ("є",) if after_vowel else ("о", "е"):  # Ірпінь -> Ірпеня
            stems.append(word[:m.start(2)] + swap + word[m.end(2):])
    return stems


def _uk_noun(w: str) -> set[str]:
    out: set[str] = set()
    last = w[-1]
    if w.endswith(("ія", "ия")):  # Росія, Коломия: Росії, Коломиї
        _add(out, w[:-1], "ї", "ю", "єю")
    elif last == "я":
        stem = w[:-1]
        _add(out, stem, "і", "ю", "ям", "ею")  # neuter (Запоріжжя) and feminine soft
    elif last == "а":
        stem = w[:-1]
        c = stem[-1:]
        if c in _SIBILANT:
            _add(out, stem, "і", "у", "ею")
        else:
            _add(out, stem, "и", "у", "ою")
            pal = _UK_PALATAL.get(c)
            _add(out, stem[:-1] + pal if pal else stem, "і")
    elif last == "о":
        _add(out, w[:-1], "а", "у", "і", "ом", "ові")
    elif last == "е":
        stem = w[:-1]
        _add(out, stem, "ого", "ому", "ім", "им")  # adjectival neuter (Нескучне)
        _add(out, stem, "я", "ю", "і", "ем")  # noun neuter (Гуляйполе)
    elif last in "иі":
        stem = w[:-1]
        _add(out, stem, "ів", "ам", "ах", "ами", "ям", "ях", "ями")
        if len(stem) >= 4:
            out.add(stem)
            if stem[-2:-1] not in VOWELS and stem[-1] == "ц":  # Чернівці: Чернівець (rare)
                pass
        if w.endswith(("ий", "ій")):
            out.update(_uk_adjective(w))
    elif last == "й":
        if w.endswith(("ий", "ій")):
            out.update(_uk_adjective(w))
        else:
            _add(out, w[:-1], "я", "ю", "ї", "єм", "еві")
    elif last == "ь":
        for stem in _uk_oblique_stems(w[:-1]):
            _add(out, stem, "я", "ю", "і", "ем", "еві")
        if w.endswith(("ець", "ень")) and len(w) > 5:  # a fleeting е: Кременця, Відня
            _add(out, w[:-3] + w[-2], "я", "ю", "і", "ем")
        _add(out, w[:-1], "і", "ю")  # feminine (Січ-like soft nouns)
    elif last not in VOWELS:
        for stem in _uk_oblique_stems(w):
            ins = "ем" if last in _SIBILANT else "ом"
            _add(out, stem, "а", "у", "ові", "і", ins)
    out.discard(w)
    return out


def _ru_noun(w: str) -> set[str]:
    out: set[str] = set()
    last = w[-1]
    if w.endswith("ия"):
        _add(out, w[:-1], "и", "ю", "ей")
    elif last == "я":
        _add(out, w[:-1], "и", "е", "ю", "ей")
    elif last == "а":
        stem = w[:-1]
        c = stem[-1:]
        gen = "и" if c in "гкхжчшщ" else "ы"
        ins = "ей" if c in "жчшщц" else "ой"
        _add(out, stem, gen, "е", "у", ins, ins[:-1] + "ю")
    elif last == "о":
        _add(out, w[:-1], "а", "у", "е", "ом")
    elif w.endswith(("ое", "ее")):
        stem = w[:-2]
        soft = w.endswith("ее")
        _add(out, stem, *(("его", "ему", "ем", "им") if soft else ("ого", "ому", "ом", "ым", "им")))
    elif last == "е":
        _add(out, w[:-1], "я", "ю", "ем")
    elif last in "ыи":
        stem = w[:-1]
        _add(out, stem, "ов", "ей", "ам", "ах", "ами", "ям", "ях", "ями")
        if len(stem) >= 4:
            out.add(stem)
    elif w.endswith(("ий", "ый", "ой")):
        out.update(_ru_adjective(w))
    elif last == "й":
        _add(out, w[:-1], "я", "ю", "е", "ем")
    elif last == "ь":
        _add(out, w[:-1], "я", "ю", "е", "ем", "и", "ью")
    elif last not in VOWELS:
        ins = "ем" if last in _SIBILANT or last == "ц" else "ом"
        _add(out, w, "а", "у", "е", ins)
        if w.endswith("ец") and len(w) > 4:
            _add(out, w[:-2] + "ц", "а", "у", "е", "ем")
    out.discard(w)
    return out


# adjectives: the forms of each case, so a multi-word name's words agree
CASES = ("gen", "dat", "acc", "ins", "loc")


def _uk_adjective_cases(w: str) -> dict[str, tuple[str, ...]] | None:
    if w.endswith(("ий", "ій")):  # masculine (Кривий Ріг)
        s = w[:-2]
        return {"gen": (s + "ого",), "dat": (s + "ому",), "acc": (w,), "ins": (s + "им",),
                "loc": (s + "ому", s + "ім")}
    if w.endswith("а") and len(w) > 3:  # feminine (Велика Новосілка, Київська область)
        s = w[:-1]
        return {"gen": (s + "ої",), "dat": (s + "ій",), "acc": (s + "у",), "ins": (s + "ою",),
                "loc": (s + "ій",)}
    if w.endswith("е") and len(w) > 3:  # neuter
        s = w[:-1]
        return {"gen": (s + "ого",), "dat": (s + "ому",), "acc": (w,), "ins": (s + "им",),
                "loc": (s + "ому", s + "ім")}
    if w.endswith("і") and len(w) > 3:  # plural (Великі Копані)
        s = w[:-1]
        return {"gen": (s + "их",), "dat": (s + "им",), "acc": (w,), "ins": (s + "ими",),
                "loc": (s + "их",)}
    return None


def _ru_adjective_cases(w: str) -> dict[str, tuple[str, ...]] | None:
    if w.endswith(("ый", "ий", "ой")):
        s = w[:-2]
        y = "и" if s[-1:] in "гкхжчшщ" or w.endswith("ий") else "ы"
        return {"gen": (s + "ого",), "dat": (s + "ому",), "acc": (w,), "ins": (s + y + "м",),
                "loc": (s + "ом",)}
    if w.endswith("ая"):
        s = w[:-2]
        return {"gen": (s + "ой",), "dat": (s + "ой",), "acc": (s + "ую",), "ins": (s + "ой", s + "ою"),
                "loc": (s + "ой",)}
    if w.endswith("яя"):
        s = w[:-2]
        return {"gen": (s + "ей",), "dat": (s + "ей",), "acc": (s + "юю",), "ins": (s + "ей",),
                "loc": (s + "ей",)}
    if w.endswith(("ое", "ее")):
        s = w[:-2]
        soft = w.endswith("ее")
        return {"gen": (s + ("его" if soft else "ого"),), "dat": (s + ("ему" if soft else "ому"),),
                "acc": (w,), "ins": (s + ("им" if soft else "ым"),), "loc": (s + ("ем" if soft else "ом"),)}
    if w.endswith(("ые", "ие")):
        s = w[:-2]
        y = w[-2]
        return {"gen": (s + y + "х",), "dat": (s + y + "м",), "acc": (w,), "ins": (s + y + "ми",),
                "loc": (s + y + "х",)}
    return None


def _uk_adjective(w: str) -> set[str]:
    cases = _uk_adjective_cases(w)
    return {f for forms in cases.values() for f in forms} - {w} if cases else set()


def _ru_adjective(w: str) -> set[str]:
    cases = _ru_adjective_cases(w)
    return {f for forms in cases.values() for f in forms} - {w} if cases else set()


def adjective_forms(word: str) -> set[str]:
    """Every case form of an adjective (Київська -> Київської, Київській, ...), without it."""
    out: set[str] = set()
    for lang in languages_of(word):
        out |= _uk_adjective(word) if lang == "uk" else _ru_adjective(word)
    return out


_UK_NOUN_CASE = {  # which noun endings go with which adjective case (feminine and masculine)
    "gen": ("и", "і", "ї", "а", "у", "я", "ів", "ого"), "dat": ("і", "ї", "у", "ю", "ові", "еві", "ам", "ому"),
    "acc": ("у", "ю"), "ins": ("ою", "ею", "єю", "ом", "ем", "єм", "ами", "ями", "им", "ям"),
    "loc": ("і", "ї", "у", "ю", "ові", "ах", "ях", "ому", "ім"),
}
_RU_NOUN_CASE = {
    "gen": ("ы", "и", "а", "я", "ов", "ей", "ого"), "dat": ("е", "у", "ю", "ам", "ому"),
    "acc": ("у", "ю"), "ins": ("ой", "ою", "ей", "ом", "ем", "ами", "ями", "ым", "им", "ью"),
    "loc": ("е", "и", "ах", "ях", "ом"),
}


def noun_forms(word: str) -> set[str]:
    """Every case form the rules give a one-word name (without the name itself)."""
    if len(word) < 3 or not word.isalpha() and "'" not in word and "-" not in word:
        return set()
    langs = languages_of(word)
    out: set[str] = set()
    if "uk" in langs:
        out |= _uk_noun(word)
    if "ru" in langs:
        out |= _ru_noun(word)
    return out


def _by_case(forms: set[str], word: str, table: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """Sort a noun's forms into the cases whose endings they carry (a form may fit several)."""
    out: dict[str, set[str]] = {c: set() for c in CASES}
    common = len(word) - 1
    for f in forms:
        # the ending: what follows the longest prefix shared with the name, less its last letter
        i = 0
        while i < min(common, len(f)) and f[i] == word[i]:
            i += 1
        ending = f[i:]
        for case, endings in table.items():
            if any(ending.endswith(e) or e.endswith(ending) for e in endings):
                out[case].add(f)
    return out


def name_forms(key: str) -> set[str]:
    """Every case form of a (normalised, lower-case) Cyrillic place name, without the name.

    One word: :func:`noun_forms`.  Several: the last word is the noun and every
    word before it that has an adjective's ending agrees with it, case by case
    ("велика новосілка" -> "великій новосілці", "великої новосілки", ...);
    other words stay as they are ("ростов-на-дону" keeps "на-дону").
    """
    words = key.split(" ")
    if len(words) == 1:
        parts = key.split("-")
        if len(parts) > 1 and all(parts):  # Ивано-Франковск: only the last part declines
            head = "-".join(parts[:-1]) + "-"
            return {head + f for f in noun_forms(parts[-1])}
        return noun_forms(key)
    out: set[str] = set()
    noun = words[-1]
    for lang in languages_of(key):
        adj_cases = _uk_adjective_cases if lang == "uk" else _ru_adjective_cases
        table = _UK_NOUN_CASE if lang == "uk" else _RU_NOUN_CASE
        nouns = (_uk_noun if lang == "uk" else _ru_noun)(noun) if len(noun) >= 3 else set()
        noun_cases = _by_case(nouns, noun, table)
        for case, found in _dictionary_cases(noun, lang).items():  # Кривий Ріг: Кривого Рогу
            noun_cases.setdefault(case, set()).update(found)
        if (lang == "uk" and noun.endswith(("ий", "ій"))) or (lang == "ru" and noun.endswith(("ый", "ий", "ой", "ая"))):
            noun_cases = adj_cases(noun) or noun_cases
        heads = [(adj_cases(w) or _possessive_cases(w, lang)) if len(w) > 3 else None for w in words[:-1]]
        for case in CASES:
            head_forms: list[tuple[str, ...]] = [h[case] if h else (w,) for h, w in zip(heads, words)]
            for tail in set(noun_cases.get(case, ())) | ({noun} if case == "acc" else set()):
                for combo in _product(head_forms):
                    out.add(" ".join([*combo, tail]))
    out.discard(key)
    return out


_DICTIONARY_CASE = {"gent": "gen", "datv": "dat", "accs": "acc", "ablt": "ins", "loct": "loc"}


@functools.lru_cache(maxsize=4096)
def _dictionary_cases(noun: str, lang: str) -> dict[str, frozenset[str]]:
    """The singular case forms the morphological dictionary gives a noun it knows as one
    (ріг: рогу, рогом; яр: яру): stems that change inside, which the ending rules miss.
    A multi-word name's last word only, so a few thousand look-ups a gazetteer."""
    from geo.parse.language import analyser

    out: dict[str, set[str]] = {}
    for parse in analyser(lang).parse(noun):
        tag = parse.tag
        if "NOUN" not in tag or "nomn" not in tag or "plur" in tag or parse.word != noun:
            continue
        for form in parse.lexeme:
            case = _DICTIONARY_CASE.get(form.tag.case or "")
            if case and "plur" not in form.tag and form.word != noun:
                out.setdefault(case, set()).add(form.word)
    return {case: frozenset(forms) for case, forms in out.items()}


def _possessive_cases(word: str, lang: str) -> dict[str, tuple[str, ...]] | None:
    """A possessive adjective in -ів/-їв/-ов/-ев before a masculine noun (Часів Яр: Часового
    Яру, Часовому Яру): it declines as the adjective on its stem."""
    if lang == "uk" and word.endswith(("ів", "їв")):
        stem = word[:-2] + "ов"
        return {"gen": (stem + "ого",), "dat": (stem + "ому",), "acc": (word,), "ins": (stem + "им",),
                "loc": (stem + "ому", stem + "ім")}
    if lang == "ru" and word.endswith(("ов", "ев")):
        return {"gen": (word + "а",), "dat": (word + "у",), "acc": (word,), "ins": (word + "ым",),
                "loc": (word + "ом",)}
    return None


def _product(lists: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for options in lists:
        out = [(*o, x) for o in out for x in options]
    return out


def colloquial_region(oblast_key: str) -> str | None:
    """The colloquial name of an oblast, from its "<adjective> область/область" name:
    харківська область -> харківщина, донецька область -> донеччина,
    харьковская область -> харьковщина, донецкая область -> донетчина."""
    words = oblast_key.split(" ")
    if len(words) != 2 or words[1] not in ("область",):
        return None
    adj = words[0]
    for ending, repl in (("цька", "ччина"), ("ська", "щина"), ("цкая", "тчина"), ("ская", "щина")):
        if adj.endswith(ending) and len(adj) > len(ending) + 2:
            return adj[:-len(ending)] + repl
    return None
