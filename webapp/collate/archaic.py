"""Early Modern English (and British) word forms read as modern ones, for the scorer only.

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
endings ("loveth", "knowest") are read by :func:`.normalize.fold_verb_endings` where the
text has the base, which then calls :func:`modernise`: an -eth form left is read as its
modern -s form by spelling rules (:func:`third_person`: "covereth" as "covers"), and the
older and British spellings as the American ones (:func:`respell`: "neighbour" as
"neighbor"). Both texts go through the same rules. An old form that is also a modern
word of another sense is read only in context: "art" is "are" next to "thou".

>>> modernise([["thou", "hast", "shewed", "it", "unto", "thy", "servant"]])
[['you', 'have', 'showed', 'it', 'to', 'your', 'servant']]
>>> modernise([["art", "thou", "he"], ["the", "art", "of", "war"]])
[['are', 'you', 'he'], ['the', 'art', 'of', 'war']]
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from functools import lru_cache
from itertools import chain

__all__ = ["IN_CONTEXT", "MODERN", "modernise", "respell", "third_person"]

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
    "shouldest": "should",  # the -est forms whose base the text may lack (fold_verb_endings)
    "wouldest": "would",
    "couldest": "could",
    "saidst": "said",
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
    # Function words the stop list lacks in their old form (its "therefore", "perhaps",
    # "whatever" are stop words): read as content, they count in a sentence's content as
    # words the modern side never says (a merged half's join, issue 10).
    "wherefore": "therefore",
    "peradventure": "perhaps",
    "haply": "perhaps",
    "howbeit": "however",
    "forasmuch": "since",
    "whatsoever": "whatever",
    "whomsoever": "whoever",
    "whithersoever": "wherever",
    "aught": "anything",
    "nought": "nothing",
    "naught": "nothing",
    "fro": "from",
}

#: Forms that are also modern words of another sense: read only next to these words.
IN_CONTEXT: dict[str, tuple[str, frozenset[str]]] = {
    "art": ("are", frozenset({"thou"})),
}

_CONTEXTUAL = frozenset(IN_CONTEXT)

#: Shortest -eth word read as a verb ("teeth" and "Seth" are not); ordinals in "-tieth"
#: ("twentieth") are not verbs either.
ETH_FROM = 6
_VOWELS = frozenset("aeiou")
#: Bases taking "-es" in the modern form: sibilants, a final vowel or v or c ("crieth" ->
#: "cries", "giveth" -> "gives", "rejoiceth" -> "rejoices").
_ES_AFTER = frozenset("sxzeiouvc")
#: Doubled consonants that the -eth form doubled ("sitteth" -> "sits").
_UNDOUBLE = frozenset("bdgmnprt")
#: Endings of unstressed last syllables, which keep no silent "e" ("covereth" -> "covers").
_NO_SILENT_E = ("er", "en", "el", "et", "it", "on")


#: Endings after "-our" that keep British "-our" ("honoured", "neighbours", "labourer").
_OUR_SUFFIXES = ("", "s", "ed", "ing", "er", "ers", "able", "ably", "ite", "ites", "hood")
_OUR = re.compile(r"^(\w{2,})our(" + "|".join(s for s in _OUR_SUFFIXES if s) + ")?$")
#: British "-re" for American "-er" after t, b or ch ("centre", "sepulchre", "fibres").
_RE = re.compile(r"^(\w{2,}(?:t|b|ch))re(s?)$")  # not "-red": "hatred", "inbred"
#: British "-ce" nouns whose American form ends "-se".
_CE = {"defence": "defense", "offence": "offense", "pretence": "pretense", "licence": "license"}
_LIGATURES = str.maketrans({"æ": "ae", "œ": "oe"})


def respell(word: str) -> str:
    """One standard spelling for the older and the British one, as VARD's letter rules
    do: "neighbour" and "neighbor", "sepulchre" and "sepulcher", "Cæsar" and "Caesar",
    "defence" and "defense" (both texts go through it, so a rule that makes a non-word,
    "devour" -> "devor", costs nothing).

    >>> [respell(w) for w in ("neighbours", "honoured", "sepulchre", "centres", "cæsarea")]
    ['neighbors', 'honored', 'sepulcher', 'centers', 'caesarea']
    >>> [respell(w) for w in ("your", "hour", "four", "store", "acre", "there")]
    ['your', 'hour', 'four', 'store', 'acre', 'there']
    """
    word = word.translate(_LIGATURES)
    if word in _CE or word[:-1] in _CE:
        return _CE.get(word) or _CE[word[:-1]] + "s"
    if "our" in word:
        word = _OUR.sub(r"\1or\2", word)
    if word.endswith(("re", "res")):
        word = _RE.sub(r"\1er\2", word)
    return word


def third_person(word: str) -> str:
    """The modern -s form of an Early Modern -eth form (the third person singular present),
    by English spelling rules, as VARD's letter rules read it; other words unchanged.

    >>> [third_person(w) for w in ("covereth", "crieth", "sitteth", "hateth", "provideth")]
    ['covers', 'cries', 'sits', 'hates', 'provides']
    >>> [third_person(w) for w in ("soweth", "judgeth", "troubleth", "speaketh", "teeth")]
    ['sows', 'judges', 'troubles', 'speaks', 'teeth']
    """
    if len(word) < ETH_FROM or not word.endswith("eth") or word.endswith("tieth"):
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


def modernise(
    word_lists: Sequence[Sequence[str]], vocabulary: Set[str] | None = None
) -> list[list[str]]:
    """Each word list with its historical forms read as modern ones (see the module).

    Each distinct word is looked up once; texts without any historical form (most modern
    texts) come back as they are. ``vocabulary``, if given, is the set of all the words
    (the caller has it: no second pass over a 20,000-word sentence, issue 10).
    """
    if vocabulary is None:
        vocabulary = set(chain.from_iterable(word_lists))
    table = {w: m for w in vocabulary if (m := _modern_form(w)) != w}
    context = not _CONTEXTUAL.isdisjoint(vocabulary)
    if not table and not context:
        return [list(words) for words in word_lists]
    return [_modern(words, table, context) for words in word_lists]


@lru_cache(maxsize=100_000)
def _modern_form(word: str) -> str:
    """The table's modern word, else the word's -eth form read as -s, respelled."""
    return MODERN.get(word) or respell(third_person(word.translate(_LIGATURES)))


def _modern(words: Sequence[str], table: dict[str, str], context: bool) -> list[str]:
    """One sentence's words with their historical forms replaced."""
    out = list(map(table.get, words, words))
    if not context:
        return out
    for k, word in enumerate(words):
        if word in IN_CONTEXT:
            modern, beside = IN_CONTEXT[word]
            around = [*words[max(0, k - 1) : k], *words[k + 1 : k + 2]]
            if not beside.isdisjoint(around):
                out[k] = modern
    return out
