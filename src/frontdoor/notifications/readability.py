"""A plain-English check for message templates: reading age, long sentences, jargon, acronyms.

Reading age is the Flesch-Kincaid grade plus 5 (a US grade 4 reader is about 9 years old).
Placeholders `((field))` count as one short word so they do not skew the figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\(\([a-z_]+\)\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=[-*•])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d+")
_ACRONYM = re.compile(r"\b[A-Z]{2,}s?\b")


@dataclass(frozen=True)
class ReadabilityReport:
    reading_age: float
    longest_sentence_words: int
    jargon_found: tuple[str, ...]
    acronyms_found: tuple[str, ...]
    warnings: tuple[str, ...]


def count_syllables(word: str) -> int:
    """An estimate good enough for a reading-age warning (vowel groups, silent final e)."""
    w = word.lower().strip("'\u2019-")
    if not w or w.isdigit():
        return 1
    groups = re.findall(r"[aeiouy]+", w)
    count = len(groups)
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith("ed") and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(1, count)


def _sentences(text: str) -> list[list[str]]:
    plain = _PLACEHOLDER.sub("it", text)
    found = []
    for chunk in _SENTENCE_END.split(plain):
        words = _WORD.findall(chunk)
        if words:
            found.append(words)
    return found


def check_readability(
    text: str,
    *,
    reading_age_max: int,
    max_sentence_words: int,
    jargon: Iterable[str] = (),
    acronyms: Iterable[str] = (),
) -> ReadabilityReport:
    """Measure `text` and list the plain-English problems an editor should look at."""
    sentences = _sentences(text)
    words = [w for s in sentences for w in s]
    if words:
        syllables = sum(count_syllables(w) for w in words)
        grade = 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59
        reading_age = round(max(grade, 0.0) + 5, 1)
    else:
        reading_age = 0.0
    longest = max((len(s) for s in sentences), default=0)
    lowered = " " + re.sub(r"\s+", " ", _PLACEHOLDER.sub(" ", text).lower()) + " "
    jargon_found = tuple(
        j for j in jargon if re.search(r"(?<![a-z])" + re.escape(j.lower()) + r"(?![a-z])", lowered)
    )
    listed = {a.upper() for a in acronyms}
    # An acronym is a problem when the council listed it, or when it is not explained:
    # "Council Tax Reduction (CTR)" explains itself.
    acronyms_found = []
    for match in _ACRONYM.finditer(_PLACEHOLDER.sub(" ", text)):
        word = match.group().rstrip("s") if match.group().endswith("s") else match.group()
        explained = text[max(0, match.start() - 1) : match.start()] == "("
        if (word in listed or not explained) and word not in acronyms_found:
            acronyms_found.append(word)
    warnings = []
    if reading_age > reading_age_max:
        warnings.append(
            f"Reading age is about {reading_age:g}; aim for {reading_age_max} or under. "
            "Use shorter sentences and everyday words."
        )
    if longest > max_sentence_words:
        warnings.append(
            f"The longest sentence has {longest} words; keep sentences to {max_sentence_words}."
        )
    if jargon_found:
        warnings.append("Avoid these words: " + ", ".join(jargon_found) + ".")
    if acronyms_found:
        warnings.append(
            "Spell out these abbreviations (or explain them in brackets the first time): "
            + ", ".join(acronyms_found)
            + "."
        )
    return ReadabilityReport(
        reading_age, longest, jargon_found, tuple(acronyms_found), tuple(warnings)
    )
