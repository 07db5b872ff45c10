"""What makes a password predictable beyond the common-password list (plain Python).

Attackers try, before any dictionary, digits only (dates, phone numbers), keyboard and
alphabet runs (``123456``, ``qwerty``, ``abcdef``), repeats (``aaaa``, ``abab``,
``hellohello``) and the names around the account (the organisation, the application,
the email address). The length minimum does not stop any of these: ``123456789012`` is
twelve characters. Each function answers one question so the validator can say which
rule a password broke.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Keyboard rows (QWERTY, QWERTZ, AZERTY), their shifted digits, the key columns
# ("1qaz2wsx…") and the alphabet. Runs are matched forwards and backwards.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "qwertzuiop",
    "yxcvbnm",
    "azertyuiop",
    "qsdfghjklm",
    "wxcvbn",
    "!@#$%^&*()",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
)
_RUNS = SEQUENCES + tuple(s[::-1] for s in SEQUENCES)
# Four letters in a row is a run (``qwer``, ``abcd``); three digits or symbols already
# are (``123``, ``!@#``). Three letters occur in ordinary words too often (pa*rty*,
# *def*ine, fi*rst*) to count.
MIN_RUN = 4
MIN_RUN_NOT_LETTERS = 3
# Except the three-letter corners of the keyboard, a pattern of their own (qweasdzxc).
KEYBOARD_CORNERS = frozenset({"qwe", "asd", "zxc", "ewq", "dsa", "cxz", "qaz", "wsx", "edc"})
# A password needs at least this many characters outside runs and repeats.
MIN_UNPREDICTABLE = 8
# Repeats are looked for this far back (long passwords stay quick to check).
MAX_PERIOD = 32
# A whole name (email local part, slug) shorter than this says nothing ("al", "jo").
MIN_WHOLE_NAME = 3
# Name parts shorter than this are too common inside ordinary words to refuse.
MIN_NAME_PART = 4
_SEPARATORS = re.compile(r"[\s\-_.,/:;+]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# The substitutions everyone knows (p4ssw0rd); checked as a second reading.
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "!": "i",
    }
)
# Words of a company name too generic to refuse on their own.
_GENERIC_NAME_WORDS = frozenset(
    {
        "company",
        "corp",
        "corporation",
        "group",
        "holding",
        "holdings",
        "limited",
        "gmbh",
        "international",
        "the",
        "and",
    }
)


def only_digits(password: str) -> bool:
    """Digits, perhaps with separators: a date, a phone number, a PIN made long."""
    stripped = _SEPARATORS.sub("", password)
    return stripped.isdigit() and stripped.isascii()


def repeats_itself(password: str) -> bool:
    """The whole password is one chunk written twice or more (``abab…``, ``hellohello``)."""
    text = password.lower()
    n = len(text)
    # Shifted by its period, a periodic text matches itself.
    return any(text[period:] == text[:-period] for period in range(1, n // 2 + 1))


@dataclass(frozen=True)
class Predictability:
    in_runs: int  # characters inside keyboard or alphabet runs
    in_repeats: int  # characters that repeat what came just before
    unpredictable: int  # everything else


def _run_length(text: str, start: int) -> int:
    head = text[start : start + MIN_RUN_NOT_LETTERS]
    shortest = MIN_RUN if head.isalpha() and head not in KEYBOARD_CORNERS else MIN_RUN_NOT_LETTERS
    length = 0
    for size in range(MIN_RUN_NOT_LETTERS, len(text) - start + 1):
        if any(text[start : start + size] in run for run in _RUNS):
            length = size
        else:
            break
    return length if length >= shortest else 0


def _repeat_length(text: str, start: int) -> int:
    """How far ``text`` from ``start`` continues a pattern that just occurred."""
    best = 0
    for period in range(1, min(start, MAX_PERIOD) + 1):
        length = 0
        while start + length < len(text) and text[start + length] == text[start + length - period]:
            length += 1
        # A repeat covers at least one whole chunk, and more than one letter: an "e"
        # five letters after another "e" (or a double "ll") is chance.
        if length >= max(2, period):
            best = max(best, length)
    return best


def predictability(password: str) -> Predictability:
    """Read the password left to right, marking keyboard/alphabet runs and repeats."""
    text = password.lower()
    in_runs = in_repeats = unpredictable = 0
    i = 0
    while i < len(text):
        run = _run_length(text, i)
        repeat = _repeat_length(text, i)
        if run and run >= repeat:
            in_runs += run
            i += run
        elif repeat:
            in_repeats += repeat
            i += repeat
        else:
            unpredictable += 1
            i += 1
    return Predictability(in_runs=in_runs, in_repeats=in_repeats, unpredictable=unpredictable)


def name_terms(name: str, *, whole_only: bool = False) -> list[str]:
    """The forms of a name a password might contain: all of it without spaces or
    punctuation, and (unless ``whole_only``) each part long enough to matter."""
    lowered = name.lower()
    terms = []
    whole = _NOT_ALNUM.sub("", lowered)
    if len(whole) >= MIN_WHOLE_NAME:
        terms.append(whole)
    if not whole_only:
        for part in _NOT_ALNUM.split(lowered):
            if len(part) >= MIN_NAME_PART and part not in _GENERIC_NAME_WORDS and part not in terms:
                terms.append(part)
    return terms


def contained_term(password: str, terms: Iterable[str]) -> str | None:
    """The first term the password contains, read plainly or with leet undone."""
    plain = _NOT_ALNUM.sub("", password.lower())
    unleeted = _NOT_ALNUM.sub("", password.lower().translate(_LEET))
    for term in terms:
        if term and (term in plain or term in unleeted):
            return term
    return None
