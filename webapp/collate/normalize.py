"""Turn display text into tokens for matching; the display text itself is never changed.

>>> n = Normalizer({"kosyrew": "kozyrev"})
>>> n.words("Kosyrew’s “long-term” plan, 1,200 men")
['kozyrev', 'long', 'term', 'plan', '1200', 'men']
>>> n.terms(n.words("The enlargement was long-term"))
['enlarg', 'long', 'term']

``words`` folds case, quotation marks, dashes, hyphenation, possessives, digit grouping and
spelling variants; ``terms`` keeps content words only and stems them, for similarity.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain

import snowballstemmer

from .archaic import modernise  # proverbs: historical forms for the scorer (issue 10)
from .number_words import NUMBER_WORDS as _NUMBER_WORDS
from .number_words import numbers_as_digits as _numbers_as_digits
from .stopwords import ENGLISH_STOP_WORDS

_LINE_HYPHEN = re.compile(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)")
_SOFT_HYPHEN = re.compile("\u00ad")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
# Punctuation that differs only in typography compares equal in word diffs.
_PUNCT_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "—": "-",
        "–": "-",
        "‐": "-",
        "…": "...",
    }
)
_WORD = re.compile(r"[^\W_]++(?:'[^\W_]++)*+")  # possessive: nothing to backtrack
# The separator first, then the digit before it: a scan for "," or "." is fast, one that
# tries a look-behind at every character is not (a 20,000-word text: 2.4 ms -> 0.1 ms).
_DIGIT_GROUP = re.compile(r"[,.](?<=\d[,.])(?=\d{3}\b)")
_DIGIT = re.compile(r"\d")
_NEGATION = re.compile(r"n't\b")

#: Words too common to be evidence of a correspondence (a standard English list).
STOP_WORDS: frozenset[str] = ENGLISH_STOP_WORDS | {"said", "says", "say"}
#: Distinct tokens (and display tokens) whose forms a normalizer remembers.
FORMS_CACHED = 100_000
#: From this many characters on, a text is cut at its whitespace before the word pattern.
SPLIT_FROM = 2000
#: Long texts whose cut at spaces a normalizer remembers (see :meth:`Normalizer.pieces`).
CUTS_KEPT = 8


class Normalizer:
    """Fold text into comparable tokens, applying a table of spelling variants.

    ``variants`` maps a lower-case variant to its canonical lower-case form; both sides
    of a comparison go through the same table, so "Kosyrew" and "Kozyrev" match.
    """

    def __init__(self, variants: Mapping[str, str] | None = None) -> None:
        self.variants = {k.lower(): v.lower() for k, v in (variants or {}).items()}
        self._keys: dict[str, str] = {}
        self._forms: dict[str, tuple[str, ...]] = {}
        self._cuts: dict[str, tuple[list[str], list[str]] | tuple[()]] = {}
        # A variant spelled with digits makes numbers of texts that have none.
        self._digit_variants = any(_DIGIT.search(v) for v in self.variants.values())

    def words(self, text: str) -> list[str]:
        """Return the normalised words of ``text`` in order (punctuation dropped).

        Number words become digits ("twenty-two" and "22" match), as do ordinals
        ("21st" and "21"). Each distinct token is read once, so a long text costs one
        regular-expression pass and a lookup per word (a 20,000-word sentence: issue 10).
        """
        cut = self.pieces(text) if len(text) >= SPLIT_FROM and "\0" not in text else None
        if cut is not None:
            # Folded piece by piece, all at once: a space and a NUL are boundaries no step
            # of the folding looks across (no composition, no digit group, no hyphen).
            pieces, distinct = cut
            folded_pieces = _fold("\0".join(distinct)).split("\0")
            has_digit = any(map(_DIGIT.search, folded_pieces))
            out, words = self._piece_words(pieces, dict(zip(distinct, folded_pieces, strict=True)))
        else:
            folded = _fold(text)
            has_digit = _DIGIT.search(folded) is not None
            if len(folded) >= SPLIT_FROM:
                out, words = self._long_words(folded)
            else:
                out = words = self._tokens(folded)
        if not (self._digit_variants or has_digit) and _NUMBER_WORDS.isdisjoint(words):
            return out  # nothing to replace (most sentences)
        return _numbers_as_digits(out, words)

    def pieces(self, text: str) -> tuple[list[str], list[str]] | None:
        """``text`` cut at its spaces, and its distinct pieces in order, when its only
        whitespace is single spaces between pieces (else ``None``).

        Remembered for the last few texts: the diff of a link cuts the very sentence whose
        words were read (a 20,000-word sentence: one cut, not two; issue 10).
        """
        found = self._cuts.get(text)
        if found is None:
            pieces = text.split(" ")
            distinct = list(dict.fromkeys(pieces))
            plain = not any(piece.split() != [piece] for piece in distinct)  # no "  ", "\n"
            found = (pieces, distinct) if plain else ()
            if len(self._cuts) >= CUTS_KEPT:
                self._cuts.clear()
            self._cuts[text] = found
        return found or None

    def __getstate__(self) -> dict[str, object]:
        """What a worker process gets (see :mod:`.parallel`): not the remembered cuts."""
        state = dict(self.__dict__)
        state["_cuts"] = {}
        return state

    def _tokens(self, folded: str) -> list[str]:
        """The forms of each word token of a folded text, in order."""
        tokens = _WORD.findall(folded)
        lookup = self._lookup(set(tokens))
        return list(chain.from_iterable(map(lookup.__getitem__, tokens)))

    def _long_words(self, folded: str) -> tuple[list[str], Iterable[str]]:
        """:meth:`_tokens` of a long text, cut at whitespace first (one pass in C), each
        distinct piece read once: no word spans whitespace, so the words are the same,
        without a step of the pattern's engine per character (issue 10). Also the
        distinct words (with repeats), for tests that need not read every word."""
        pieces = folded.split()
        return self._piece_words(pieces, {piece: piece for piece in set(pieces)})

    def _piece_words(
        self, pieces: list[str], folded: Mapping[str, str]
    ) -> tuple[list[str], Iterable[str]]:
        """The words of ``pieces`` (each distinct piece, folded as ``folded`` says, read
        once), and the distinct words with repeats."""
        table = {
            piece: (fold,) if fold.isalnum() else tuple(_WORD.findall(fold))
            for piece, fold in folded.items()
        }
        lookup = self._lookup(set(chain.from_iterable(table.values())))
        forms = {
            p: tuple(chain.from_iterable(map(lookup.__getitem__, t))) for p, t in table.items()
        }
        distinct = list(chain.from_iterable(forms.values()))
        if all(len(f) == 1 for f in forms.values()):  # one word a piece: no tuples to chain
            return list(map({p: f[0] for p, f in forms.items()}.__getitem__, pieces)), distinct
        return list(chain.from_iterable(map(forms.__getitem__, pieces))), distinct

    def _lookup(self, tokens: set[str]) -> Mapping[str, tuple[str, ...]]:
        """A table of the forms of ``tokens``: the cache, with the missing ones added while
        it has room (else a table of their own)."""
        forms = self._forms
        missing = tokens.difference(forms)
        if not missing:
            return forms
        found = {token: self._word_forms(token) for token in missing}
        if len(forms) < FORMS_CACHED:
            forms.update(found)
            return forms
        return found | {t: forms[t] for t in tokens if t in forms}

    def _word_forms(self, token: str) -> tuple[str, ...]:
        """Split possessives and contractions and apply the variant table."""
        if token.endswith("'s"):
            token = token[:-2]
        token = _NEGATION.sub(" not", token)
        parts = [p for p in token.replace("'", " ").split() if p]
        return tuple(self.variants.get(p, p) for p in parts)

    def terms(self, words: Iterable[str]) -> list[str]:
        """Return stemmed content words: the evidence used to score similarity."""
        words = list(words)
        if len(words) >= DISTINCT_FROM:
            return _long_terms(words)
        kept = content_words(words)
        # A sentence of function words only ("First, still first.") is matched on them.
        return stems(kept or words)

    def key(self, token: str) -> str:
        """Return the comparison key of one display token (for word diffs)."""
        if token.isspace():
            return " "
        key = self._keys.get(token)
        if key is None:
            key = self._plain_key(token)
            if key is None:
                forms = self.words(token)
                key = " ".join(forms) if forms else _fold(token).translate(_PUNCT_FOLD)
            if len(self._keys) < FORMS_CACHED:
                self._keys[token] = key
        return key

    def _plain_key(self, token: str) -> str | None:
        """The key of a word of ASCII letters, as :meth:`words` reads it (folding is
        lower case, the word is one form, its variant applies), unless its form is a
        number word or a variant holds digits (numbers then apply): else ``None``."""
        if not (token.isascii() and token.isalpha()) or self._digit_variants:
            return None
        low = token.lower()
        form = self.variants.get(low, low)
        return None if form in _NUMBER_WORDS else form


def is_content(word: str) -> bool:
    """Whether a normalised word carries content (not a stop word or a lone letter)."""
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


#: From this many words on, a list is read one distinct word at a time (a set and a table
#: first); a shorter one word by word, which costs less for a sentence of 20 words.
DISTINCT_FROM = 64


def content_words(words: Sequence[str]) -> list[str]:
    """The content words of ``words``, in order (each distinct word tested once)."""
    if len(words) < DISTINCT_FROM:
        return [w for w in words if is_content(w)]
    content = {w for w in set(words) if is_content(w)}
    return list(filter(content.__contains__, words)) if content else []


def _long_terms(words: list[str]) -> list[str]:
    """:meth:`Normalizer.terms` of a long list: one table of the distinct words' stems
    (content words only), the words filtered and looked up in one pass."""
    table = {w: stem(w) for w in set(words) if is_content(w)}
    if not table:
        return stems(words)
    return list(map(table.__getitem__, filter(table.__contains__, words)))


def stems(words: Sequence[str]) -> list[str]:
    """The stem of each word, in order (each distinct word stemmed once)."""
    if len(words) < DISTINCT_FROM:
        return [stem(w) for w in words]
    table = {w: stem(w) for w in set(words)}
    return list(map(table.__getitem__, words))


def stems_of(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """:func:`stems` of each sentence, the distinct words of all of them stemmed once."""
    table = {w: stem(w) for w in set(chain.from_iterable(sentences))}
    return [list(map(table.__getitem__, words)) for words in sentences]


_STEMMER = snowballstemmer.stemmer("english")
_STEM_LOCK = threading.Lock()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem one word (Snowball English); the stemmer keeps state, hence the lock."""
    with _STEM_LOCK:
        return str(_STEMMER.stemWord(word))


def _fold(text: str) -> str:
    """Fold case, compatibility forms, quotes, dashes, hyphens and digit grouping."""
    if "\n" in text:  # the pattern starts with a word character: slow on long texts
        text = _LINE_HYPHEN.sub(r"\1\2", text)
    if "\u00ad" in text:
        text = _SOFT_HYPHEN.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    if _DIGIT.search(text):  # a group separator follows a digit: none, nothing to scan
        text = _DIGIT_GROUP.sub("", text)
    return text.casefold()


_VERB_ENDINGS = ("eth", "est")


def fold_verb_endings(word_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    """Map Early Modern English verb forms to their base where the same text has the base.

    "loveth" and "knowest" become "love" and "know" when those words occur in the text
    (as they do in a 17th-century source), so an old record and a modern retelling share
    the word; "teeth" or "Seth" stay, since "te" or "s" is not a word of the text.
    Applied to one text at a time, and only to what the scorer reads: quotations are
    still checked word for word. The other historical forms ("thou", "unto", an -eth
    form without its base, "neighbour") are then read by :func:`.archaic.modernise`.

    >>> fold_verb_endings([["he", "loveth", "love"], ["setteth", "set"]])
    [['he', 'love', 'love'], ['set', 'set']]
    """
    vocabulary = set(chain.from_iterable(word_lists))
    mapping: dict[str, str] = {}
    for word in vocabulary:
        base = _verb_base(word, vocabulary)
        if base is not None:
            mapping[word] = base
    if not mapping:
        return modernise(word_lists, vocabulary)  # archaic forms (proverbs, issue 10)
    folded = {mapping.get(w, w) for w in vocabulary}  # the words of the lists below
    return modernise([list(map(mapping.get, words, words)) for words in word_lists], folded)


def _verb_base(word: str, vocabulary: set[str]) -> str | None:
    """The base of an -eth / -est form that ``vocabulary`` holds ("goeth" -> "go"), or None."""
    for suffix in _VERB_ENDINGS:
        if not word.endswith(suffix) or len(word) < len(suffix) + 2:
            continue
        base = word[: -len(suffix)]
        undoubled = base[:-1] if len(base) > 2 and base[-1] == base[-2] else None
        for candidate in (base, base + "e", undoubled):
            if candidate is not None and len(candidate) >= 2 and candidate in vocabulary:
                return candidate
    return None


def merge_comparatives(term_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    """Map comparative and superlative stems to their base where both texts allow it.

    Snowball leaves "longer" and "greatest" alone; when the base stem ("long", "great")
    occurs anywhere in the texts compared, the two are one term.

    >>> merge_comparatives([["longer", "term"], ["long", "term"]])
    [['long', 'term'], ['long', 'term']]
    """
    mapping = _comparative_bases(set(chain.from_iterable(term_lists)))
    if not mapping:
        return [list(terms) for terms in term_lists]
    return [list(map(mapping.get, terms, terms)) for terms in term_lists]


def _comparative_bases(vocabulary: set[str]) -> dict[str, str]:
    """The comparative and superlative stems of ``vocabulary`` whose base it holds."""
    mapping: dict[str, str] = {}
    for term in vocabulary:
        for suffix in ("er", "est"):
            if not term.endswith(suffix) or len(term) - len(suffix) < 3:
                continue
            base = term[: -len(suffix)]
            if base not in vocabulary and len(base) > 3 and base[-1] == base[-2]:
                base = base[:-1]  # bigger -> big
            if base in vocabulary:
                mapping[term] = base
    return mapping


def merged_stems_of(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """``merge_comparatives(stems_of(sentences))`` in one pass over the words: each
    distinct word's stem, merged with its base, is looked up once."""
    table = {w: stem(w) for w in set(chain.from_iterable(sentences))}
    mapping = _comparative_bases(set(table.values()))
    if mapping:
        table = {w: mapping.get(t, t) for w, t in table.items()}
    return [list(map(table.__getitem__, words)) for words in sentences]
