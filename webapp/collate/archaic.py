"""Early Modern English word forms read as their modern equivalents, for the scorer only.

An older record (a 17th-century translation, an early report) and a modern retelling
say the same thing in different forms: "thou hast" and "you have", "unto him" and "to
him", "shew" and "show". The scorer compares words, so such forms hide what the two
sentences share, and worse, the old forms are not on the stop list: "thou", "thy" and
"hath" count as *content* words, lifting chance pairs of two old sentences and diluting
the true pair of an old and a modern one.

Like VARD (Baron and Rayson, 2008), this is a fixed table of historical forms mapped to
their standard modern spelling, applied to normalised words; unlike VARD it is used only
for what the scorer reads (display text, word diffs and the quotation check keep every
word as written). The table holds closed-class words (pronouns, auxiliaries, adverbs,
prepositions) and a few spellings whose modern form is unambiguous; the regular verb
endings ("loveth", "knowest") are read by :func:`.normalize.fold_verb_endings`, which
calls :func:`modernise` on its result. A word whose old form is also a modern word
("art", "ye" aside) is read only in context: "art" is "are" next to "thou".

>>> modernise([["thou", "hast", "shewed", "it", "unto", "thy", "servant"]])
[['you', 'have', 'showed', 'it', 'to', 'your', 'servant']]
>>> modernise([["art", "thou", "he"], ["the", "art", "of", "war"]])
[['are', 'you', 'he'], ['the', 'art', 'of', 'war']]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

__all__ = ["IN_CONTEXT", "MODERN", "modernise", "third_person"]

#: Historical form -> modern form (normalised, lower case). Closed-class words, and verb
#: forms that are no modern word of another sense.
MODERN: dict[str, str] = {
    # Second-person pronouns.
    "thou": "you",
    "thee": "you",
    "ye": "you",
    "thy": "your",
    "thine": "your",
    "thyself": "yourself",
    # Auxiliaries and irregular verbs with second- and third-person endings.
    "hath": "has",
    "hast": "have",
    "hadst": "had",
    "doth": "does",
    "dost": "do",
    "didst": "did",
    "saith": "says",
    "sayest": "say",
    "shalt": "shall",
    "wilt": "will",
    "canst": "can",
    "couldst": "could",
    "wouldst": "would",
    "shouldst": "should",
    "mayest": "may",
    "mightest": "might",
    "mayst": "may",
    "wast": "was",
    "wert": "were",
    "seeth": "sees",  # short -eth forms (see ETH_FROM)
    "goeth": "goes",
    "doeth": "does",
    "spake": "spoke",
    "shew": "show",
    "shewed": "showed",
    "shewn": "shown",
    "shewest": "show",
    "sheweth": "shows",
    "shewing": "showing",
    # Prepositions, adverbs, conjunctions.
    "unto": "to",
    "whoso": "whoever",
    "whosoever": "whoever",
    "hither": "here",
    "thither": "there",
    "ere": "before",
    "oft": "often",
    "whilst": "while",
    "betwixt": "between",
    "yea": "yes",
    "nay": "no",
}

#: Forms that are also modern words of another sense: read only next to these words.
IN_CONTEXT: dict[str, tuple[str, frozenset[str]]] = {
    "art": ("are", frozenset({"thou"})),
}

_CONTEXTUAL = frozenset(IN_CONTEXT)

#: Shortest -eth word read as a verb ("teeth" and "Seth" are not).
ETH_FROM = 6
_VOWELS = frozenset("aeiou")
#: Bases taking "-es" in the modern form: sibilants, a final vowel or v or c ("crieth" ->
#: "cries", "giveth" -> "gives", "rejoiceth" -> "rejoices").
_ES_AFTER = frozenset("sxzeiouvc")
#: Doubled consonants that the -eth form doubled ("sitteth" -> "sits").
_UNDOUBLE = frozenset("bdgmnprt")
#: Endings of unstressed last syllables, which keep no silent "e" ("covereth" -> "covers").
_NO_SILENT_E = ("er", "en", "el", "et", "it", "on")


def third_person(word: str) -> str:
    """The modern -s form of an Early Modern -eth form (the third person singular present),
    by English spelling rules, as VARD's letter rules read it; other words unchanged.

    >>> [third_person(w) for w in ("covereth", "crieth", "sitteth", "hateth", "provideth")]
    ['covers', 'cries', 'sits', 'hates', 'provides']
    >>> [third_person(w) for w in ("soweth", "judgeth", "troubleth", "speaketh", "teeth")]
    ['sows', 'judges', 'troubles', 'speaks', 'teeth']
    """
    if len(word) < ETH_FROM or not word.endswith("eth"):
        return word
    base = word[:-3]
    if base[-1] in _ES_AFTER or base.endswith(("ch", "sh", "dg", "rg")):
        return base + "es"
    if base[-1] == base[-2] and base[-1] in _UNDOUBLE:
        return base[:-1] + "s"
    if base[-1] == "l" and base[-2] not in _VOWELS and base[-2] != "l":
        return base + "es"  # troubleth -> troubles
    if _silent_e(base):
        return base + "es"
    return base + "s"


def _silent_e(base: str) -> bool:
    """Whether a base that ends in one vowel and one consonant lost a silent "e": always in
    one syllable (a stressed one would have doubled: "hateth", not "sitteth"), and in a
    longer word unless the last syllable is unstressed ("provideth", not "covereth")."""
    last, vowel, before = base[-1], base[-2], base[-3]
    if last in _VOWELS or last in "wxy" or vowel not in _VOWELS or before in _VOWELS:
        return False
    syllables = sum(
        1 for a, b in zip(" " + base, base, strict=False) if b in _VOWELS and a not in _VOWELS
    )
    return syllables == 1 or not base.endswith(_NO_SILENT_E)


def modernise(word_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each word list with its historical forms read as modern ones (see the module).

    Each distinct word is looked up once; texts without any historical form (most modern
    texts) come back as they are.
    """
    vocabulary = set(chain.from_iterable(word_lists))
    table = {w: m for w in vocabulary if (m := MODERN.get(w) or third_person(w)) != w}
    context = not _CONTEXTUAL.isdisjoint(vocabulary)
    if not table and not context:
        return [list(words) for words in word_lists]
    return [_modern(words, table, context) for words in word_lists]


def _modern(words: Sequence[str], table: dict[str, str], context: bool) -> list[str]:
    """One sentence's words with their historical forms replaced."""
    out = [table.get(w, w) for w in words]
    if not context:
        return out
    for k, word in enumerate(words):
        if word in IN_CONTEXT:
            modern, beside = IN_CONTEXT[word]
            around = [*words[max(0, k - 1) : k], *words[k + 1 : k + 2]]
            if not beside.isdisjoint(around):
                out[k] = modern
    return out
