"""The Russian spellings of a Ukrainian settlement's name, for the settlements GeoNames gives none.

Russian-language reports name villages as Russian spells them: Синьковка, Опытное,
Ласточкино for Синьківка, Опитне, Ласточкине.  GeoNames holds a Russian name for about a
quarter of Ukraine's settlements; for the rest, :func:`russian_forms` writes the likely
ones by the regular correspondences of the two spellings:

- letters: і, ї -> и; є -> е; ґ -> г; the apostrophe dropped; и -> ы, as a second form,
  where Russian writes ы after a hard consonant (Опитне -> Опытное);
- the suffix -івка -> -овка (-ївка, after a vowel, -> -евка): Синьківка -> Синьковка,
  Авдіївка -> Авдеевка;
- neuter adjectival names: -е -> -ое (Опитне -> Опытное, Лозове -> Лозовое), -ине -> -ино
  (Ласточкине -> Ласточкино), -ське/-цьке -> -ское/-цкое;
- -ськ/-цьк -> -ск/-цк (Покровськ -> Покровск).

Names Russian spells otherwise (Вовчанськ, Волчанск; Північне, Северное) come out wrong and
simply match nothing.  Checked against the settlements with both names in GeoNames
(``tests/gazetteer/test_russian_forms.py``).
"""

from __future__ import annotations

import re

_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "'": "", "’": "", "ʼ": ""})
_SUFFIXES = [  # (pattern, Russian), in order
    (re.compile(r"іївка\b"), "еевка"),  # Андріївка -> Андреевка
    (re.compile(r"['’ʼ]ївка\b"), "ьевка"),  # Юр'ївка -> Юрьевка
    (re.compile(r"(?<=[аеєиіїоуюя])ївка\b"), "евка"),
    (re.compile(r"(?<=[чжшщ])івка\b"), "евка"),  # Кегичівка -> Кегичевка
    (re.compile(r"івка\b"), "овка"),
    (re.compile(r"['’ʼ]їв\b"), "ьев"),
    (re.compile(r"їв\b"), "ев"),  # Київ -> Киев
    (re.compile(r"ів(?=[бвгджзклмнпрстфхцчшщ]|\b)"), "ов"),  # Острів, Петрівці, Петропавлівське
    (re.compile(r"^під"), "под"),  # Підбуж -> Подбуж
    (re.compile(r"^робот"), "работ"),  # Роботине -> Работино (робота, работа)
    (re.compile(r"грес\b"), "гресс"),  # Прогрес -> Прогресс
    (re.compile(r"^олександр"), "александр"),  # Олександрівка -> Александровка
    (re.compile(r"^микола"), "никола"),  # Миколаївка -> Николаевка
    (re.compile(r"володимир"), "владимир"),  # Володимирівка -> Владимировка
    (re.compile(r"кам['’ʼ]ян"), "камен"),  # Кам'янка -> Каменка
    (re.compile(r"ця\b"), "ца"),  # Сушиця -> Сушица
    (re.compile(r"іль\b"), "оль"),  # Юрпіль -> Юрполь
    (re.compile(r"ці\b"), "цы"),  # Шипинці -> Шипинцы
    (re.compile(r"ньо"), "не"),  # Верхньосадове -> Верхнесадовое
    (re.compile(r"([сц])ьк"), r"\1к"),  # Покровськ -> Покровск, Євецько -> Евецко
]
_NEUTER = [  # (Ukrainian ending, Russian ending), longest first
    ("ідне", "одное"), ("іне", "ино"), ("ське", "ское"), ("цьке", "цкое"), ("ине", "ино"), ("ове", "овое"), ("еве", "евое"),
    ("не", "ное"), ("ве", "вое"), ("ре", "рое"), ("ке", "кое"), ("те", "тое"), ("ле", "лое"),
]
_SECOND = {"овое": "ово", "евое": "ево", "ское": "сское"}  # Маркове: Марково too; Спаське: Спасское
_ORDINALS = {"перша": "первая", "друга": "вторая", "третя": "третья", "перше": "первое", "друге": "второе",
             "перший": "первый", "другий": "второй"}
_FEMININE = re.compile(r"(?:(?<!в)к|[бвгдзлмнпрстфхчшщ])а$")  # Ясна, Стара, Велика: -ая (not Новоселівка)
_PLURAL = re.compile(r"(?<=[кнх])і$")  # Нижні, Великі (Петрівці): -ие
_HARD_I = re.compile(r"(?<=[бвдзлмнпрстф])и")


def _convert(low: str, second: bool = False) -> str:
    if low in _ORDINALS:
        return _ORDINALS[low]
    w = low
    for pattern, ru in _SUFFIXES:
        w = pattern.sub(ru, w)
    for uk, ru in _NEUTER:
        if w.endswith(uk) and len(w) > len(uk) + 1:
            ru = _SECOND.get(ru, ru) if second else ru
            if ru == "сское" and not w[: -len(uk)].endswith("с"):
                ru = "ское"
            w = w[: -len(uk)] + ru
            break
    return w.translate(_LETTERS)


def _word(word: str, adjective: bool = False) -> list[str]:
    low = word.lower()
    forms = [_convert(low), _convert(low, second=True)]
    hard = _HARD_I.sub("ы", low)  # the Ukrainian и only: і becomes и later, and stays
    if hard != low:
        forms.append(_convert(hard))
    if adjective and _FEMININE.search(low):
        forms = [f + "я" for f in forms]
    elif adjective and _PLURAL.search(low):
        forms = [f[:-1] + "ие" for f in forms]
    return list(dict.fromkeys(forms))


def russian_forms(name_uk: str) -> list[str]:
    """The likely Russian spellings of a Ukrainian settlement name, capitalised as the name is;
    none for a name already spelt alike in both."""
    words = name_uk.split(" ")
    per_word = [_word(w, adjective=k == 0 and len(words) > 1) for k, w in enumerate(words)]
    out = [" ".join(f[0] for f in per_word)]
    for n in (1, 2):
        if any(len(f) > n for f in per_word):
            out.append(" ".join(f[min(n, len(f) - 1)] for f in per_word))
    out = [_cased(f, name_uk) for f in dict.fromkeys(out)]
    return [f for f in out if f.lower() != name_uk.lower()]


def _cased(form: str, model: str) -> str:
    """``form`` with a capital wherever a word of ``model`` (and a part after a hyphen) has one."""
    return "-".join(" ".join(w[:1].upper() + w[1:] for w in part.split(" ")) for part in form.split("-")) \
        if model[:1].isupper() else form
