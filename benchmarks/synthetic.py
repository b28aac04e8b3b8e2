"""Deterministic synthetic record/retelling pairs with a known alignment.

:func:`make_pair` writes a "record" (think of a memorandum of conversation) of ``n``
sentences of English-like prose about diplomacy, then derives a "witness" (a later
retelling) from it and remembers exactly what it did:

* about 10% of the record sentences are dropped (``omitted``);
* the kept sentences are paraphrased, lightly or heavily (synonyms from an embedded
  table, clause reordering, dropped adverbs and function words, reported speech);
* about 3% of the kept sentences are merged with the next one into a single witness
  sentence (2 record sentences -> 1 witness sentence) and about 3% are split in two
  (1 -> 2);
* about 5% of the kept sentences are moved, in blocks of 1-3 consecutive sentences, to a
  place far from their origin (``moved``); the blocks are checked so that the unmoved
  sentences form the unique longest order-preserving chain;
* about 10% new sentences, written from the same vocabulary, are inserted (``added``).

Sentences are built from templates and word lists in this module; every token carries a
part-of-speech tag so the paraphraser can swap synonyms, move clauses and turn quotations
into reported speech without touching proper names, dates or numbers.  No abbreviation
with a full stop is ever produced, so a sentence segmenter can recover the sentences
exactly.  The record depends only on ``(n, seed)``; ``level`` changes only the wording of
the retelling, so light and heavy pairs share the same record and the same truth.

Pure standard library.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["LEVELS", "SyntheticPair", "make_pair", "join_paragraphs", "word_count"]

#: Paraphrase levels accepted by :func:`make_pair`.
LEVELS = ("light", "heavy")

# ---------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------

#: A token is ``(text, kind)``; ``text`` may contain spaces ("turn down", "12 March 1994").
Tok = tuple[str, str]

# Kinds.  Content kinds that may have synonyms: singular / plural noun, verb base / past /
# participle, adjective, adverb.  "c" is a content word without synonyms.
_F = "f"  # function word
_T = "t"  # complementiser "that" (droppable)
_O = "o"  # optional function word such as "already" (droppable)
_P = "p"  # proper name
_TI = "ti"  # title before a surname ("Ambassador")
_D = "d"  # date or number
_X = "x"  # punctuation attached to the previous token
_QO = "qo"  # opening double quote (attaches to the next token)
_QC = "qc"  # closing double quote (attaches to the previous token)
_C = "c"  # content word without synonyms
_N1, _N2, _VB, _VD, _VN, _A, _R = "n1", "n2", "vb", "vd", "vn", "a", "r"
_CONTENT = frozenset({_N1, _N2, _VB, _VD, _VN, _A, _R, _C})


def _t(spec: str) -> list[Tok]:
    """Tokens from a template string: ``*word`` is a content word, others function words.

    Underscores join words into one token: ``"*point_of_view"`` -> ``"point of view"``.
    """
    out: list[Tok] = []
    for word in spec.split():
        if word.startswith("*"):
            out.append((word[1:].replace("_", " "), _C))
        else:
            out.append((word.replace("_", " "), _F))
    return out


# ---------------------------------------------------------------------------------------
# Lexicon: synonym groups (first word is the group's name), inflected automatically
# ---------------------------------------------------------------------------------------

_NOUN_GROUPS_SPEC = """
proposal offer plan initiative
agreement accord deal settlement
treaty pact convention
meeting session conference
border frontier boundary
sanction penalty
concern worry unease
position stance view
issue question matter
government administration cabinet
ceasefire truce armistice
delegation mission team
document text draft
guarantee assurance pledge
demand request claim
loan credit
election vote ballot
region area territory zone
shipment delivery consignment
inspection verification
report account memorandum
threat danger risk
dispute conflict quarrel
deadline cutoff
reform overhaul
compromise concession
observer monitor inspector
official representative envoy
withdrawal pullback drawdown
tariff duty levy
objection reservation complaint
statement declaration announcement
timetable schedule calendar
arrangement understanding
visit trip journey
warning caution
commitment promise undertaking
message note letter
exchange swap
prisoner detainee captive
refugee evacuee exile
crisis emergency
aid assistance support
"""

_VERB_GROUPS_SPEC = """
reject dismiss turn_down refuse
accept endorse approve
propose suggest put_forward recommend
discuss debate consider examine
demand insist_on call_for press_for
offer extend provide
support back favor
oppose resist challenge
delay postpone put_off defer
sign conclude
raise bring_up mention
review study
withdraw retract
guarantee ensure secure
improve strengthen reinforce
reduce cut lower curb
increase boost expand
resolve settle
prepare draft draw_up
publish release issue
request seek
abandon drop give_up
welcome applaud praise
criticize condemn denounce
monitor observe watch
protect defend safeguard
say state declare remark
note point_out
insist stress emphasize underline
warn caution
admit concede acknowledge
explain clarify
argue contend maintain
tell inform notify advise
assure reassure
remind
express voice convey
describe characterize portray
cross flee move
stall falter break_down
resume restart
end close finish
ask inquire
"""

_ADJ_GROUPS_SPEC = """
new fresh recent
important significant major key
serious grave severe
difficult hard complex
firm strong resolute
final definitive
revised amended modified
initial preliminary
formal official
private confidential secret
public open
urgent pressing
unacceptable intolerable
reasonable fair sensible
limited modest narrow
broad wide sweeping
joint common shared
clear plain explicit
vague unclear ambiguous
useful helpful valuable
careful cautious prudent
constructive productive positive
premature hasty rash
dangerous risky perilous
"""

_ADV_GROUPS_SPEC = """
firmly strongly resolutely
quickly rapidly swiftly
carefully cautiously
clearly plainly explicitly
privately quietly confidentially
publicly openly
repeatedly persistently
eventually finally ultimately
immediately promptly
reluctantly unwillingly grudgingly
fully completely entirely
sharply bluntly
formally officially
"""

#: Adjectives with no synonyms (still content words).
_PLAIN_ADJECTIVES = (
    "economic military nuclear regional bilateral maritime northern southern eastern "
    "western humanitarian diplomatic political territorial commercial"
).split()

#: Adjective groups that can stand after "become" or inside a scare quote.
_EVALUATIVE_GROUPS = (
    "serious difficult urgent dangerous unacceptable reasonable premature vague useful "
    "constructive clear"
).split()

_IRREGULAR_VERBS: dict[str, tuple[str, str]] = {
    "put": ("put", "put"),
    "bring": ("brought", "brought"),
    "draw": ("drew", "drawn"),
    "give": ("gave", "given"),
    "withdraw": ("withdrew", "withdrawn"),
    "tell": ("told", "told"),
    "say": ("said", "said"),
    "seek": ("sought", "sought"),
    "cut": ("cut", "cut"),
    "break": ("broke", "broken"),
    "flee": ("fled", "fled"),
}
_DOUBLING_VERBS = frozenset(
    {"drop", "admit", "defer", "permit", "regret", "refer", "prefer", "submit"}
)
_IRREGULAR_PLURALS = {"memorandum": "memoranda", "crisis": "crises"}
_AN_EXCEPTIONS = frozenset({"useful", "united", "unilateral", "unique", "union", "usual"})


def _pluralize(noun: str) -> str:
    """Plural of a (possibly multi-word) noun by the usual English rules."""
    if noun in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _inflect(verb: str) -> tuple[str, str]:
    """Past tense and past participle of a verb; phrasal verbs inflect their first word."""
    head, _, rest = verb.partition(" ")
    if head in _IRREGULAR_VERBS:
        past, part = _IRREGULAR_VERBS[head]
    elif head in _DOUBLING_VERBS:
        past = part = head + head[-1] + "ed"
    elif head.endswith("e"):
        past = part = head + "d"
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        past = part = head[:-1] + "ied"
    else:
        past = part = head + "ed"
    suffix = " " + rest if rest else ""
    return past + suffix, part + suffix


def _groups(spec: str) -> dict[str, tuple[str, ...]]:
    """Parse a group specification: one group a line, ``_`` joining multi-word entries."""
    out: dict[str, tuple[str, ...]] = {}
    for line in spec.strip().splitlines():
        words = tuple(w.replace("_", " ") for w in line.split())
        out[words[0]] = words
    return out


_NOUNS = _groups(_NOUN_GROUPS_SPEC)
_VERBS = _groups(_VERB_GROUPS_SPEC)
_ADJS = _groups(_ADJ_GROUPS_SPEC)
_ADVS = _groups(_ADV_GROUPS_SPEC)


def _build_synonyms() -> dict[Tok, tuple[str, ...]]:
    """Map a token ``(form, kind)`` -> other forms of that kind in the same group."""
    table: dict[Tok, set[str]] = {}

    def add(kind: str, forms: Sequence[str]) -> None:
        for form in forms:
            others = {f for f in forms if f != form}
            if others:
                table.setdefault((form, kind), set()).update(others)

    for group in _NOUNS.values():
        add(_N1, group)
        add(_N2, [_pluralize(w) for w in group])
    for group in _VERBS.values():
        add(_VB, group)
        add(_VD, [_inflect(w)[0] for w in group])
        add(_VN, [_inflect(w)[1] for w in group])
    for group in _ADJS.values():
        add(_A, group)
    for group in _ADVS.values():
        add(_R, group)
    return {key: tuple(sorted(value)) for key, value in table.items()}


#: Token ``(text, kind)`` -> synonyms of the same kind and form.
SYNONYMS: dict[Tok, tuple[str, ...]] = _build_synonyms()

# ---------------------------------------------------------------------------------------
# Names, places, topics
# ---------------------------------------------------------------------------------------

_SURNAMES = (
    "Kessler Okafor Brandt Halvorsen Moreau Tanaka Ruiz Lindqvist Novak Petrov Castellano "
    "Abernathy Mensah Varga Costa Ferreira Haddad Iwasaki Jansen Kowalski Laurent Nakamura "
    "Osei Pereira Quiroga Rasmussen Sandoval Takahashi Umarov Vasquez Whitfield Yilmaz "
    "Zeller Albrecht Bergstrom Carvalho Dimitrov Eriksen Fontaine Galloway Hartmann Ivanova "
    "Jaramillo Karimi Lambert Marchetti Nordahl Oyelaran Palmer Quinn Rahman Sorensen "
    "Thornton Udeh Valdez Weber Xavier Yamada Zamora Ashworth Bianchi Cardenas Dubois "
    "Esposito Falk Gruber Holm Ionescu Juarez Keller Lindgren Mancini Nilsen Ortega "
    "Pellegrini Renner Sato Toivonen Ulrich Vogel"
).split()

_TITLES = (
    "Ambassador",
    "Minister",
    "Foreign Minister",
    "Secretary",
    "Under Secretary",
    "President",
    "Prime Minister",
    "General",
    "Admiral",
    "Chancellor",
    "Senator",
    "Counselor",
    "Envoy",
    "Deputy Minister",
    "Consul",
    "Director",
    "Commissioner",
    "Governor",
    "Colonel",
)

_COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    (pair.split(":")[0], pair.split(":")[1])
    for pair in (
        "Norway:Norwegian Portugal:Portuguese Egypt:Egyptian Japan:Japanese Brazil:Brazilian "
        "Poland:Polish Kenya:Kenyan Chile:Chilean Turkey:Turkish Austria:Austrian "
        "Greece:Greek Canada:Canadian Mexico:Mexican India:Indian Vietnam:Vietnamese "
        "Hungary:Hungarian Finland:Finnish Morocco:Moroccan Peru:Peruvian Sweden:Swedish "
        "Ireland:Irish Jordan:Jordanian Indonesia:Indonesian Argentina:Argentine "
        "Nigeria:Nigerian Denmark:Danish Belgium:Belgian Spain:Spanish Italy:Italian "
        "Ghana:Ghanaian Tunisia:Tunisian Thailand:Thai Colombia:Colombian "
        "Iceland:Icelandic Romania:Romanian Senegal:Senegalese"
    ).split()
)

_CITIES = (
    "Geneva Vienna Helsinki Lisbon Cairo Oslo Warsaw Nairobi Santiago Ankara Athens Ottawa "
    "Hanoi Budapest Rabat Lima Stockholm Dublin Amman Jakarta Brussels Copenhagen Madrid "
    "Prague Bern Tunis Manila Bogota Accra Reykjavik Dakar Bangkok Montevideo Rome "
    "Bucharest Belgrade"
).split()

_ORGS = (
    "Council",
    "Commission",
    "Secretariat",
    "General Assembly",
    "Standing Committee",
    "Security Council",
    "Joint Commission",
    "Contact Group",
    "Arbitration Panel",
    "Steering Committee",
    "Executive Board",
    "Supervisory Commission",
)

_TOPICS = (
    "fishing rights",
    "grain exports",
    "water rights",
    "oil prices",
    "arms control",
    "troop levels",
    "nuclear testing",
    "debt relief",
    "trade quotas",
    "customs duties",
    "mining concessions",
    "naval patrols",
    "border crossings",
    "shipping lanes",
    "gas supplies",
    "wheat shipments",
    "missile deployments",
    "visa rules",
    "port fees",
    "military exercises",
    "minority rights",
    "press freedom",
    "river navigation",
    "air links",
    "grazing rights",
    "coal deliveries",
    "power lines",
    "rail freight",
    "copper exports",
    "labor migration",
    "tariff rates",
    "the river dam",
    "the coastal shelf",
    "the northern islands",
    "the railway line",
    "the copper mines",
    "the refugee camps",
    "the frontier posts",
)

_MONTHS = (
    "January February March April May June July August September October November December"
).split()

#: Nouns that make sense as the object of almost any transitive verb.
_OBJECT_NOUN_GROUPS = (
    "proposal agreement treaty sanction position issue ceasefire document guarantee demand "
    "loan shipment inspection report deadline reform compromise withdrawal tariff objection "
    "statement timetable arrangement visit commitment message exchange aid"
).split()

#: Transitive verb groups whose object is a noun phrase.
_TRANSITIVE_GROUPS = (
    "reject accept propose discuss demand offer support oppose delay sign raise review "
    "withdraw guarantee improve reduce increase resolve prepare publish request abandon "
    "welcome criticize monitor protect"
).split()

_SAY_GROUPS = "say note insist warn admit explain argue".split()
_QUOTE_SAY_GROUPS = "say insist warn".split()
_TELL_GROUPS = "tell assure remind".split()

_MODALS = ("would", "could", "might", "should", "must", "would not", "could not", "will")
_QUOTE_MODALS = ("will", "will not", "cannot", "must", "should", "can", "would")
_QUESTION_MODALS = ("can", "will", "should", "must", "could")
_REPORTED_MODAL = {
    "will": "would",
    "will not": "would not",
    "cannot": "could not",
    "can": "could",
    "must": "had to",
    "should": "should",
    "would": "would",
    "could": "could",
}
_QUOTE_SUBJECTS = {"we": "they", "our government": "their government", "our side": "their side"}
_FILLERS = ("also", "then", "in fact", "indeed", "at that point", "once again")

#: How the second half of a split sentence begins, by the connective of the clause.
_SPLIT_PREFIX = {
    "because": "that was because",
    "although": "yet",
    "while": "meanwhile,",
    "after": "this came after",
    "before": "this happened before",
    "unless": "that would change only if",
    "until": "this lasted until",
    "so that": "the aim was that",
}
_COMMA_CONNECTIVES = frozenset({"although", "while"})


# ---------------------------------------------------------------------------------------
# Sentence structure and rendering
# ---------------------------------------------------------------------------------------


@dataclass
class _Quote:
    """A direct quotation: ``speaker verb, "Subject modal vp."`` (or its mirror image)."""

    speaker: list[Tok]
    verb: list[Tok]
    subject: str
    modal: str
    vp: list[Tok]
    question: bool = False
    before: bool = False  # the quotation comes before the speaker
    reported: bool = False  # rendered as reported speech

    def copy(self) -> _Quote:
        return _Quote(
            list(self.speaker),
            list(self.verb),
            self.subject,
            self.modal,
            list(self.vp),
            self.question,
            self.before,
            self.reported,
        )

    def tokens(self) -> list[Tok]:
        """The tokens of the whole sentence, end punctuation included."""
        if self.reported:
            subject = _QUOTE_SUBJECTS[self.subject]
            conj: Tok = ("whether", _F) if self.question else ("that", _T)
            return [
                *self.speaker,
                *self.verb,
                conj,
                *_t(subject),
                *_t(_REPORTED_MODAL[self.modal]),
                *self.vp,
                (".", _X),
            ]
        if self.question:
            inner = [*_t(self.modal), *_t(self.subject), *self.vp]
        else:
            inner = [*_t(self.subject), *_t(self.modal), *self.vp]
        first, kind = inner[0]
        inner[0] = (first[:1].upper() + first[1:], kind)
        if self.before:
            return [
                ('"', _QO),
                *inner,
                (",", _X),
                ('"', _QC),
                *self.speaker,
                *self.verb,
                (".", _X),
            ]
        end = "?" if self.question else "."
        return [*self.speaker, *self.verb, (",", _X), ('"', _QO), *inner, (end, _X), ('"', _QC)]

    def parts(self) -> list[list[Tok]]:
        """The token lists the paraphraser may edit in place."""
        return [self.speaker, self.verb, self.vp]


@dataclass
class _Sent:
    """One sentence: ``[lead,] subject [adverb] predicate [connective tail] end``."""

    subject: list[Tok]
    predicate: list[Tok]
    lead: list[Tok] = field(default_factory=list)
    adverb: list[Tok] = field(default_factory=list)
    conn: str = ""
    tail: list[Tok] = field(default_factory=list)
    end: str = "."
    quote: _Quote | None = None
    lead_front: bool = True
    lead_comma: bool = True
    tail_front: bool = False
    tail_comma: bool = False

    def copy(self) -> _Sent:
        return _Sent(
            list(self.subject),
            list(self.predicate),
            list(self.lead),
            list(self.adverb),
            self.conn,
            list(self.tail),
            self.end,
            self.quote.copy() if self.quote is not None else None,
            self.lead_front,
            self.lead_comma,
            self.tail_front,
            self.tail_comma,
        )

    def tokens(self) -> list[Tok]:
        """The tokens of the sentence, end punctuation included."""
        if self.quote is not None:
            return self.quote.tokens()
        out: list[Tok] = []
        lead_front = bool(self.lead) and self.lead_front and not self.tail_front
        if lead_front:
            out += self.lead
            if self.lead_comma:
                out.append((",", _X))
        if self.tail and self.tail_front:
            out += [*_t(self.conn), *self.tail, (",", _X)]
        out += self.subject + self.adverb + self.predicate
        if self.lead and not lead_front:
            out += self.lead
        if self.tail and not self.tail_front:
            if self.conn in _COMMA_CONNECTIVES or self.tail_comma:
                out.append((",", _X))
            out += [*_t(self.conn), *self.tail]
        out.append((self.end, _X))
        return out

    def parts(self) -> list[list[Tok]]:
        """The token lists the paraphraser may edit in place."""
        if self.quote is not None:
            return self.quote.parts()
        return [self.lead, self.subject, self.adverb, self.predicate, self.tail]


def _fix_articles(toks: list[Tok]) -> list[Tok]:
    """Choose "a" or "an" from the next word (after synonym swaps)."""
    out = list(toks)
    for i, (text, kind) in enumerate(out):
        if kind != _F or text not in ("a", "an"):
            continue
        nxt = next((t for t, k in out[i + 1 :] if k != _QO), "")
        first_word = nxt.split(" ")[0].lower()
        vowel = bool(nxt) and nxt[0].lower() in "aeiou" and first_word not in _AN_EXCEPTIONS
        out[i] = ("an" if vowel else "a", kind)
    return out


def _join(toks: Sequence[Tok], *, capitalize: bool = True) -> str:
    """Render tokens as text: punctuation and quote marks attach, first letter upper."""
    pieces: list[str] = []
    glue = True
    for text, kind in _fix_articles(list(toks)):
        if glue or kind in (_X, _QC):
            pieces.append(text)
        else:
            pieces.append(" " + text)
        glue = kind == _QO
    text = "".join(pieces)
    if capitalize:
        for i, ch in enumerate(text):
            if ch.isalpha():
                text = text[:i] + ch.upper() + text[i + 1 :]
                break
    return text


def _render(sent: _Sent) -> str:
    return _join(sent.tokens())


def _fresh_sentence(writer: _Writer, seen: set[str]) -> _Sent:
    """A sentence of ``writer`` whose text is not yet in ``seen`` (added to it): no duplicates."""
    while True:
        sent = writer.sentence()
        text = _render(sent)
        if text not in seen:
            seen.add(text)
            return sent


def word_count(sentence: str) -> int:
    """Number of whitespace-separated words in a sentence."""
    return len(sentence.split())


# ---------------------------------------------------------------------------------------
# The writer: templates over a per-text cast of people, places and topics
# ---------------------------------------------------------------------------------------


class _Writer:
    """Writes sentences about one fictional set of negotiations."""

    def __init__(self, rng: random.Random, n: int) -> None:
        self.rng = rng
        people = rng.sample(_SURNAMES, min(len(_SURNAMES), 8 + n // 60))
        self.people = [(rng.choice(_TITLES), name) for name in people]
        # Zipf-like weights: a few principals do most of the talking.
        self.people_weights = _cumulative([1.0 / (rank + 1) ** 0.8 for rank in range(len(people))])
        self.countries = rng.sample(_COUNTRIES, min(len(_COUNTRIES), 4 + n // 150))
        self.country_weights = _cumulative(
            [1.0 / (rank + 1) for rank in range(len(self.countries))]
        )
        self.cities = rng.sample(_CITIES, min(len(_CITIES), 4 + n // 150))
        self.orgs = rng.sample(_ORGS, min(len(_ORGS), 3 + n // 500))
        self.topics = rng.sample(_TOPICS, min(len(_TOPICS), 8 + n // 100))
        self.object_groups = rng.sample(
            _OBJECT_NOUN_GROUPS, max(12, len(_OBJECT_NOUN_GROUPS) * 3 // 4)
        )
        self.year = rng.randint(1948, 2006)
        frames: list[tuple[Callable[[], _Sent], float]] = [
            (self._transitive, 6.0),
            (self._say_that, 4.0),
            (self._tell_that, 2.5),
            (self._counted, 1.2),
            (self._passive, 1.5),
            (self._pair_discussed, 1.2),
            (self._there_was, 1.0),
            (self._had_become, 1.2),
            (self._concern, 1.2),
            (self._question, 1.0),
            (self._why_question, 0.5),
            (self._exclamation, 0.4),
            (self._described_as, 0.8),
            (self._agreed_to, 1.0),
            (self._raised_with, 1.2),
            (self._quotation, 2.2),
        ]
        self.frames = [f for f, _ in frames]
        self.frame_weights = _cumulative([w for _, w in frames])

    # -- small pieces -------------------------------------------------------------------

    def _pick(self, group: str, table: dict[str, tuple[str, ...]]) -> str:
        return self.rng.choice(table[group])

    def noun(self, group: str, *, plural: bool = False) -> Tok:
        word = self._pick(group, _NOUNS)
        return (_pluralize(word), _N2) if plural else (word, _N1)

    def verb(self, group: str, form: str) -> Tok:
        word = self._pick(group, _VERBS)
        if form == _VB:
            return (word, _VB)
        past, part = _inflect(word)
        return (past, _VD) if form == _VD else (part, _VN)

    def adjective(self) -> Tok:
        if self.rng.random() < 0.25:
            return (self.rng.choice(_PLAIN_ADJECTIVES), _C)
        return (self._pick(self.rng.choice(list(_ADJS)), _ADJS), _A)

    def evaluative(self) -> Tok:
        return (self._pick(self.rng.choice(_EVALUATIVE_GROUPS), _ADJS), _A)

    def adverb(self) -> Tok:
        return (self._pick(self.rng.choice(list(_ADVS)), _ADVS), _R)

    def person(self) -> list[Tok]:
        title, name = self.rng.choices(self.people, cum_weights=self.people_weights)[0]
        return [(title, _TI), (name, _P)]

    def country(self) -> tuple[str, str]:
        found: tuple[str, str] = self.rng.choices(self.countries, cum_weights=self.country_weights)[
            0
        ]
        return found

    def city(self) -> Tok:
        return (self.rng.choice(self.cities), _P)

    def date(self) -> Tok:
        day = self.rng.randint(1, 28)
        month = self.rng.choice(_MONTHS)
        year = self.year + self.rng.randint(0, 3)
        return (f"{day} {month} {year}", _D)

    def number(self) -> Tok:
        r = self.rng.random()
        if r < 0.3:
            value = self.rng.randint(12, 95)
        elif r < 0.6:
            value = self.rng.randint(2, 9) * 100 + self.rng.choice((0, 0, 50))
        else:
            value = self.rng.randint(11, 480) * 100
        return (f"{value:,}", _D)

    def topic(self) -> Tok:
        return (self.rng.choice(self.topics), _C)

    def org(self) -> list[Tok]:
        return [("the", _F), (self.rng.choice(self.orgs), _P)]

    def actor(self) -> list[Tok]:
        """A subject: mostly people, sometimes delegations, governments or bodies."""
        r = self.rng.random()
        if r < 0.5:
            return self.person()
        if r < 0.62:
            return [("the", _F), (self.country()[1], _P), self.noun("delegation")]
        if r < 0.74:
            return [("the", _F), (self.country()[1], _P), self.noun("government")]
        if r < 0.86:
            return self.org()
        if r < 0.94:
            return [(self.country()[0], _P)]
        return _t("the two *sides")

    def object_np(self) -> list[Tok]:
        """A noun phrase that can be the object of a transitive verb."""
        r = self.rng.random()
        group = self.rng.choice(self.object_groups)
        if r < 0.15:
            return [self.topic()]
        if r < 0.55:
            head = [("the", _F), self.adjective(), self.noun(group)]
        elif r < 0.75:
            head = [("the", _F), (self.country()[1], _P), self.noun(group)]
        else:
            head = [("the", _F), self.noun(group)]
        if self.rng.random() < 0.35:
            head += [(self.rng.choice(("on", "concerning", "over")), _F), self.topic()]
        return head

    def adjunct(self) -> list[Tok]:
        """A trailing prepositional phrase."""
        r = self.rng.random()
        if r < 0.25:
            return [("in", _F), self.city()]
        if r < 0.45:
            return [("with", _F), (self.country()[0], _P)]
        if r < 0.6:
            return [("before", _F), self.date()]
        if r < 0.75:
            return [*_t("along the"), self.adjective(), self.noun("border")]
        if r < 0.88:
            return [*_t("in the"), self.noun("region")]
        return [*_t("without"), (self.rng.choice(("delay", "conditions", "debate")), _C)]

    def lead(self) -> list[Tok]:
        """A fronted adverbial that may also stand at the end of the sentence."""
        r = self.rng.random()
        if r < 0.3:
            return [("on", _F), self.date()]
        if r < 0.5:
            return [("in", _F), self.city()]
        if r < 0.65:
            return [*_t("at the *start of the"), self.noun("meeting")]
        if r < 0.75:
            return _t("later that *afternoon")
        if r < 0.85:
            return [
                *_t("during the *second *round of"),
                (self.rng.choice(("talks", "consultations")), _C),
            ]
        if r < 0.93:
            return [*_t("at the *end of the"), self.noun("meeting")]
        return [*_t("after a *short"), (self.rng.choice(("break", "recess", "pause")), _C)]

    def clause(self, conn: str = "that", avoid: Sequence[Tok] = ()) -> list[Tok]:
        """A finite clause for "that ..." complements and subordinate tails.

        ``conn`` is the connective that introduces it (it decides which tenses fit);
        ``avoid`` is the main clause's subject, not to be repeated as this one's.
        """
        r = self.rng.random()
        if conn == "so that":
            r = 0.0
        elif conn != "that":
            r = 0.35 + 0.65 * r
        subject = self.actor()
        for _ in range(3):
            if subject != list(avoid):
                break
            subject = self.actor()
        tail = self.adjunct() if self.rng.random() < 0.3 else []
        if r < 0.35:
            modals = ("could", "would", "might") if conn == "so that" else _MODALS
            modal = self.rng.choice(modals)
            return [
                *subject,
                *_t(modal),
                self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VB),
                *self.object_np(),
                *tail,
            ]
        if r < 0.6:
            opt = [("already", _O)] if self.rng.random() < 0.3 else []
            verb = self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VN)
            return [*subject, ("had", _F), *opt, verb, *self.object_np(), *tail]
        if r < 0.85:
            verb = self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VD)
            return [*subject, verb, *self.object_np(), *tail]
        talks = (self.rng.choice(("talks", "negotiations", "consultations")), _C)
        verb = self.verb(self.rng.choice(("stall", "resume", "end")), _VN)
        return [("the", _F), talks, ("in", _F), self.city(), ("had", _F), verb]

    def _decorate(
        self, sent: _Sent, *, lead: float = 0.3, tail: float = 0.35, adverb: float = 0.3
    ) -> _Sent:
        """Add an optional lead, adverb and subordinate tail."""
        if self.rng.random() < lead:
            sent.lead = self.lead()
        if self.rng.random() < adverb:
            sent.adverb = [self.adverb()]
        if self.rng.random() < tail:
            sent.conn = self.rng.choice(tuple(_SPLIT_PREFIX))
            sent.tail = self.clause(sent.conn, avoid=sent.subject)
        return sent

    # -- sentence frames ----------------------------------------------------------------

    def _transitive(self) -> _Sent:
        pred = [self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VD), *self.object_np()]
        if self.rng.random() < 0.4:
            pred += self.adjunct()
        return self._decorate(_Sent(self.actor(), pred))

    def _say_that(self) -> _Sent:
        subject = self.actor()
        pred = [self.verb(self.rng.choice(_SAY_GROUPS), _VD), ("that", _T)]
        pred += self.clause(avoid=subject)
        return self._decorate(_Sent(subject, pred), tail=0.2)

    def _tell_that(self) -> _Sent:
        speaker, hearer = self.person(), self.person()
        for _ in range(3):
            if hearer != speaker:
                break
            hearer = self.person()
        pred = [
            self.verb(self.rng.choice(_TELL_GROUPS), _VD),
            *hearer,
            ("that", _T),
            *self.clause(avoid=speaker),
        ]
        return self._decorate(_Sent(speaker, pred), tail=0.15)

    def _counted(self) -> _Sent:
        verb = self.verb(self.rng.choice(("demand", "propose", "accept", "oppose", "request")), _VD)
        if self.rng.random() < 0.5:
            troops = (self.rng.choice(("soldiers", "troops", "police officers", "observers")), _C)
            obj = [
                *_t("the"),
                self.noun("withdrawal"),
                ("of", _F),
                self.number(),
                troops,
                *_t("from the"),
                self.adjective(),
                self.noun("region"),
            ]
        else:
            obj = [
                *_t("a"),
                self.noun("loan"),
                ("of", _F),
                self.number(),
                *_t("*million *dollars for the *port of"),
                self.city(),
            ]
        if self.rng.random() < 0.5:
            return self._decorate(_Sent(self.actor(), [verb, *obj]), tail=0.25)
        about = (self.rng.choice(("some", "about", "nearly", "more than")), _F)
        people = (self.rng.choice(("refugees", "prisoners", "settlers", "workers")), _C)
        pred = [
            ("had", _F),
            self.verb("cross", _VN),
            ("into", _F),
            (self.country()[0], _P),
            ("since", _F),
            self.date(),
        ]
        return self._decorate(_Sent([about, self.number(), people], pred), lead=0.0, tail=0.2)

    def _passive(self) -> _Sent:
        group = self.rng.choice(self.object_groups)
        subj = [("the", _F), (self.country()[1], _P), self.noun(group)]
        if self.rng.random() < 0.4:
            subj.insert(1, self.adjective())
        agent = self.org() if self.rng.random() < 0.6 else self.person()
        pred = [
            ("was", _F),
            self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VN),
            ("by", _F),
            *agent,
        ]
        return self._decorate(_Sent(subj, pred), adverb=0.0)

    def _pair_discussed(self) -> _Sent:
        first, second = self.person(), self.person()
        while second == first and len(self.people) > 1:
            second = self.person()
        pred = [self.verb("discuss", _VD), *self.object_np()]
        pred += _t(self.rng.choice(("*at_length", "in *detail", "*briefly", "*over_dinner")))
        return self._decorate(_Sent([*first, ("and", _F), *second], pred), adverb=0.0)

    def _there_was(self) -> _Sent:
        degree = self.rng.choice(("no", "little", "broad", "general", "only partial"))
        noun = self.rng.choice(("agreement", "consensus", "progress"))
        pred = [*_t("was " + degree), (noun, _C), ("on", _F), *self.object_np()]
        return self._decorate(_Sent(_t("there"), pred), adverb=0.0, tail=0.45)

    def _had_become(self) -> _Sent:
        thing = [("the", _F), self.noun(self.rng.choice(("dispute", "crisis", "threat", "issue")))]
        thing += [("over", _F), self.topic()]
        more = [("more", _F)] if self.rng.random() < 0.5 else []
        clause = [*thing, *_t("had *become"), *more, self.evaluative()]
        pred = [self.verb(self.rng.choice(_SAY_GROUPS), _VD), ("that", _T), *clause]
        return self._decorate(_Sent(self.actor(), pred), tail=0.25)

    def _concern(self) -> _Sent:
        pred = [self.verb("express", _VD), self.adjective(), self.noun("concern")]
        pred += [("about", _F), *self.object_np()]
        return self._decorate(_Sent(self.actor(), pred))

    def _question(self) -> _Sent:
        modal = self.rng.choice(("would", "could", "should", "why would", "how could"))
        subj = [*_t(modal), *self.actor()]
        pred = [self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VB), *self.object_np()]
        if self.rng.random() < 0.5:
            pred += self.adjunct()
        return self._decorate(_Sent(subj, pred, end="?"), lead=0.0, tail=0.25, adverb=0.2)

    def _why_question(self) -> _Sent:
        subj = [*_t("why had"), *self.actor()]
        verb = self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VN)
        pred = [verb, *self.object_np(), *_t("without *consulting"), (self.country()[0], _P)]
        return _Sent(subj, pred, end="?")

    def _exclamation(self) -> _Sent:
        if self.rng.random() < 0.5:
            verb = self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VB)
            group = self.rng.choice(self.object_groups)
            pred = [*_t("would never"), verb, *_t("such a"), self.adjective(), self.noun(group)]
            return _Sent(self.actor(), pred, end="!")
        verb = self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VB)
        pred = [*_t("must"), verb, *self.object_np(), *_t("at once")]
        return _Sent(self.actor(), pred, end="!")

    def _described_as(self) -> _Sent:
        first, second = self.evaluative(), self.evaluative()
        while second == first:
            second = self.evaluative()
        pred = [self.verb("describe", _VD), *self.object_np(), ("as", _F)]
        pred += [('"', _QO), first, ("and", _F), second, ('"', _QC)]
        return self._decorate(_Sent(self.actor(), pred), tail=0.2)

    def _agreed_to(self) -> _Sent:
        subj = self.rng.choice((_t("the two *sides"), _t("both *delegations"), self.person()))
        pred = [*_t("*agreed to"), self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VB)]
        pred += self.object_np()
        if self.rng.random() < 0.5:
            pred += self.adjunct()
        return self._decorate(_Sent(subj, pred))

    def _raised_with(self) -> _Sent:
        speaker, hearer = self.person(), self.person()
        for _ in range(3):
            if hearer != speaker:
                break
            hearer = self.person()
        pred = [self.verb("raise", _VD), *self.object_np(), ("with", _F), *hearer]
        return self._decorate(_Sent(speaker, pred))

    def _quotation(self) -> _Sent:
        question = self.rng.random() < 0.2
        if self.rng.random() < 0.8:
            speaker = self.person()
        else:
            speaker = [("the", _F), (self.country()[1], _P), self.noun("official")]
        if question:
            verb = [self.verb("ask", _VD)]
            modal = self.rng.choice(_QUESTION_MODALS)
        else:
            verb = [self.verb(self.rng.choice(_QUOTE_SAY_GROUPS), _VD)]
            modal = self.rng.choice(_QUOTE_MODALS)
        vp = [self.verb(self.rng.choice(_TRANSITIVE_GROUPS), _VB), *self.object_np()]
        if self.rng.random() < 0.5:
            vp += self.adjunct()
        subject = self.rng.choice(tuple(_QUOTE_SUBJECTS))
        before = not question and self.rng.random() < 0.35
        quote = _Quote(speaker, verb, subject, modal, vp, question=question, before=before)
        return _Sent([], [], quote=quote)

    # -- public -------------------------------------------------------------------------

    def sentence(self) -> _Sent:
        """One random sentence of 8-35 words."""
        while True:
            frame = self.rng.choices(self.frames, cum_weights=self.frame_weights)[0]
            sent = frame()
            if 8 <= word_count(_render(sent)) <= 35:
                return sent


def _cumulative(weights: Iterable[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------------------------------
# Paraphrase
# ---------------------------------------------------------------------------------------


def _swap_synonyms(sent: _Sent, rate: float, rng: random.Random) -> None:
    """Replace about ``rate`` of the content words by synonyms, in place."""
    content: list[tuple[list[Tok], int]] = []
    replaceable: list[tuple[list[Tok], int]] = []
    for part in sent.parts():
        for i, tok in enumerate(part):
            if tok[1] in _CONTENT:
                content.append((part, i))
                if tok in SYNONYMS:
                    replaceable.append((part, i))
    wanted = rate * len(content)
    count = int(wanted) + (1 if rng.random() < wanted - int(wanted) else 0)
    for part, i in rng.sample(replaceable, min(count, len(replaceable))):
        part[i] = (rng.choice(SYNONYMS[part[i]]), part[i][1])


def _reorder(sent: _Sent, rng: random.Random) -> bool:
    """Move one clause (lead to the end, tail to the front, quotation around); True if done."""
    options: list[str] = []
    if sent.quote is not None:
        if not sent.quote.question and not sent.quote.reported:
            options.append("quote")
    else:
        if sent.lead:
            options.append("lead")
        if sent.tail and sent.end == ".":
            options.append("tail")
    if not options:
        return False
    choice = rng.choice(options)
    if choice == "quote":
        assert sent.quote is not None
        sent.quote.before = not sent.quote.before
    elif choice == "lead":
        sent.lead_front = not sent.lead_front
    else:
        sent.tail_front = not sent.tail_front
    return True


def _punctuation_or_case(sent: _Sent, rng: random.Random) -> None:
    """A small change of punctuation or case."""
    options: list[Callable[[], None]] = []
    if sent.lead and sent.lead_front:

        def drop_lead_comma() -> None:
            sent.lead_comma = not sent.lead_comma

        options.append(drop_lead_comma)
    if sent.tail and not sent.tail_front and sent.conn not in _COMMA_CONNECTIVES:

        def add_tail_comma() -> None:
            sent.tail_comma = True

        options.append(add_tail_comma)
    if sent.end == "!":

        def calm_down() -> None:
            sent.end = "."

        options.append(calm_down)
    titles = [(part, i) for part in sent.parts() for i, tok in enumerate(part) if tok[1] == _TI]
    if titles:

        def lower_title() -> None:
            part, i = rng.choice(titles)
            part[i] = (part[i][0].lower(), _TI)

        options.append(lower_title)
    if options:
        rng.choice(options)()


def _function_words(sent: _Sent, rng: random.Random) -> None:
    """Drop or insert one function word (or a title before a surname)."""
    options: list[Callable[[], None]] = []
    parts = sent.parts()
    droppable = [(part, i) for part in parts for i, tok in enumerate(part) if tok[1] in (_T, _O)]
    titles = [(part, i) for part in parts for i, tok in enumerate(part) if tok[1] == _TI]
    for found in (droppable, titles):
        if found:

            def drop(found: list[tuple[list[Tok], int]] = found) -> None:
                part, i = rng.choice(found)
                del part[i]

            options.append(drop)
    has_filler = any(tok[0] in _FILLERS for tok in sent.adverb)
    if sent.quote is None and sent.end != "?" and sent.subject != _t("there") and not has_filler:

        def insert_filler() -> None:
            sent.adverb.insert(0, (rng.choice(_FILLERS), _F))

        options.append(insert_filler)
    if options:
        rng.choice(options)()


def _paraphrase(sent: _Sent, level: str, rng: random.Random) -> _Sent:
    """A paraphrased copy of ``sent``."""
    out = sent.copy()
    if level == "light":
        _swap_synonyms(out, 0.15, rng)
        if rng.random() < 0.35:
            if not (out.adverb and rng.random() < 0.5 and _drop_adverb(out)):
                _reorder(out, rng)
        if rng.random() < 0.15:
            _punctuation_or_case(out, rng)
        return out
    if out.quote is not None and rng.random() < 0.85:
        out.quote.reported = True
        out.quote.before = False
    for part in out.parts():
        if rng.random() < 0.8:
            part[:] = [tok for tok in part if tok[1] not in (_QO, _QC)]
    if rng.random() < 0.75:
        _reorder(out, rng)
    if rng.random() < 0.5:
        _drop_adverb(out)
    for _ in range(rng.randint(1, 2)):
        _function_words(out, rng)
    _swap_synonyms(out, 0.40, rng)
    if rng.random() < 0.1:
        _punctuation_or_case(out, rng)
    return out


def _drop_adverb(sent: _Sent) -> bool:
    if not sent.adverb:
        return False
    sent.adverb = [tok for tok in sent.adverb if tok[1] != _R]
    return True


def _unquote_start(sent: _Sent) -> None:
    """Put the speaker first if the sentence would open with a quotation mark.

    A sentence ending in a closing quote followed by one opening with a quote
    (``...here." "We will...``) defeats sentence segmenters, so the generator avoids it.
    """
    if sent.quote is not None and sent.quote.before and not sent.quote.reported:
        sent.quote.before = False


def _after_quote(previous: Sequence[str], sent: _Sent) -> str:
    """Render ``sent`` so that it does not open with a quote right after a closing quote."""
    if previous and previous[-1].endswith('"'):
        sent = sent.copy()
        _unquote_start(sent)
    return _render(sent)


def _merge(first: _Sent, second: _Sent) -> str:
    """Two sentences joined into one with ", and"."""
    toks = first.tokens()[:-1] + [(",", _X), ("and", _F)] + second.tokens()
    return _join(toks)


def _split(sent: _Sent) -> tuple[str, str]:
    """A sentence with a subordinate tail cut into main clause + tail sentence."""
    head = sent.copy()
    head.conn, head.tail, head.tail_front, head.tail_comma = "", [], False, False
    tail = [*_t(_SPLIT_PREFIX[sent.conn]), *sent.tail, (".", _X)]
    return _render(head), _join(tail)


# ---------------------------------------------------------------------------------------
# Order: moved blocks must lie outside the unique longest increasing chain
# ---------------------------------------------------------------------------------------


def _chain_ending(keys: Sequence[int]) -> list[int]:
    """Length of the longest strictly increasing chain ending at each position."""
    tails: list[int] = []
    out: list[int] = []
    for key in keys:
        i = bisect_left(tails, key)
        if i == len(tails):
            tails.append(key)
        else:
            tails[i] = key
        out.append(i + 1)
    return out


def _moves_consistent(order: Sequence[int], moved: set[int]) -> bool:
    """True when the unmoved units are exactly the unique longest increasing chain."""
    ending = _chain_ending(order)
    starting = _chain_ending([-k for k in reversed(order)])[::-1]
    best = max(ending, default=0)
    if best != len(order) - len(moved):
        return False
    return all(ending[i] + starting[i] - 1 < best for i, unit in enumerate(order) if unit in moved)


def _plan_moves(
    rng: random.Random, n_units: int, target: int, min_jump: int = 5
) -> tuple[list[int], set[int]]:
    """A new order of ``n_units`` units with about ``target`` of them moved in small blocks."""
    identity = list(range(n_units))
    if target <= 0 or n_units < 4 * (min_jump + 3):
        return identity, set()
    for _ in range(100):
        taken = [False] * n_units
        blocks: list[tuple[int, int]] = []
        total = tries = 0
        while total < target and tries < 20 * target + 100:
            tries += 1
            size = min(rng.choice((1, 1, 2, 2, 3)), target - total)
            start = rng.randrange(0, n_units - size + 1)
            if any(taken[max(0, start - 1) : start + size + 1]):
                continue
            for u in range(start, start + size):
                taken[u] = True
            blocks.append((start, size))
            total += size
        rest = [u for u in identity if not taken[u]]
        at_gap: dict[int, list[int]] = {}
        for start, size in blocks:
            origin = bisect_left(rest, start)
            jump = min_jump + size
            gaps = [g for g in range(0, origin - jump + 1)]
            gaps += [g for g in range(origin + jump, len(rest) + 1)]
            if not gaps:
                break
            at_gap.setdefault(rng.choice(gaps), []).extend(range(start, start + size))
        else:
            order: list[int] = []
            for g in range(len(rest) + 1):
                order.extend(at_gap.get(g, ()))
                if g < len(rest):
                    order.append(rest[g])
            moved = {u for start, size in blocks for u in range(start, start + size)}
            if _moves_consistent(order, moved):
                return order, moved
    return identity, set()


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def join_paragraphs(sentences: Sequence[str], salt: str = "") -> str:
    """Sentences separated by one space, with a blank line every 5-8 sentences."""
    rng = random.Random(f"paragraphs:{salt}:{len(sentences)}")
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        k = rng.randint(5, 8)
        paragraphs.append(" ".join(sentences[i : i + k]))
        i += k
    return "\n\n".join(paragraphs)


@dataclass(frozen=True)
class SyntheticPair:
    """A record, a retelling of it, and the true alignment between them.

    ``links`` holds ``(record index, witness index)`` pairs (a 2 -> 1 merge gives two
    pairs, a 1 -> 2 split gives two pairs); ``omitted`` holds record indices with no link;
    ``added`` witness indices with no link; ``moved`` the witness indices of sentences
    whose block was relocated, i.e. the links outside the longest order-preserving chain.
    """

    record_sentences: list[str]
    witness_sentences: list[str]
    links: set[tuple[int, int]]
    omitted: set[int]
    added: set[int]
    moved: set[int]
    level: str = "light"
    seed: int = 0
    merged: set[int] = field(default_factory=set)  # witness indices of 2 -> 1 merges
    split: set[int] = field(default_factory=set)  # record indices of 1 -> 2 splits
    retold: set[int] = field(default_factory=set)  # witness indices of second tellings

    @property
    def record_text(self) -> str:
        """The record as paragraphs of 5-8 sentences."""
        return join_paragraphs(self.record_sentences, f"record:{self.seed}")

    @property
    def witness_text(self) -> str:
        """The retelling as paragraphs of 5-8 sentences."""
        return join_paragraphs(self.witness_sentences, f"witness:{self.seed}:{self.level}")


@dataclass
class _Unit:
    """Record sentences that travel together into the retelling."""

    record: tuple[int, ...]
    kind: str = "one"  # "one", "merge" (2 -> 1) or "split" (1 -> 2)


@dataclass(frozen=True)
class _Again:
    """A unit told a second time, out of the record's order (``retold``)."""

    unit: int


def _plan_retellings(
    rng: random.Random,
    units: Sequence[_Unit],
    sequence: list[int | None | _Again],
    moved_units: set[int],
    target: int,
    min_jump: int = 20,
    between: bool = False,
) -> int:
    """Insert second tellings of about ``target`` single units (blocks of 1-2 in order)
    into ``sequence``, each ``min_jump`` items or more from its first telling and between
    two new sentences (None; with ``between``, one more inside a block of two); returns
    how many new sentences were inserted."""
    singles = {u for u, unit in enumerate(units) if unit.kind == "one" and u not in moved_units}
    chosen: set[int] = set()
    count = tries = inserted = 0
    while count < target and tries < 20 * target + 100:
        tries += 1
        size = min(rng.choice((1, 1, 2)), target - count)
        start = rng.choice(sorted(singles))
        block = list(range(start, start + size))
        if any(u not in singles or u in chosen for u in block):
            continue
        origin = sequence.index(start)
        places = [k for k in range(len(sequence) + 1) if abs(k - origin) >= min_jump]
        if not places:
            continue
        at = rng.choice(places)
        told: list[int | None | _Again] = [_Again(u) for u in block]
        if between and size == 2:
            told.insert(1, None)
        sequence[at:at] = [None, *told, None]
        chosen.update(block)
        count += size
        inserted += len(told) - size + 2
    return inserted


def make_pair(
    n: int, *, seed: int = 0, level: str = "light", retold: float = 0.0, between: bool = False
) -> SyntheticPair:
    """A synthetic record of ``n`` sentences and a retelling with known truth.

    The record, the omissions, merges, splits, moves and additions depend only on
    ``(n, seed)``; ``level`` ("light" or "heavy") only changes the paraphrase.
    ``retold`` (off by default; the bundled benchmarks never set it): about this share of
    the kept sentences, in blocks of 1-2, is told a second time far from the first
    telling, in other words (the heavy paraphrase, whatever ``level``) and between two new
    sentences, as a gospel reuses a saying in a discourse of its own. The second telling
    is linked to its record sentence and moved (the first stays in place). ``between``
    (off by default, read only with ``retold``): a second telling of two sentences has a
    new sentence between them, as Matthew 9:27-29 tells Mark 10:47-52 with a verse of its
    own between.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(f"memcon-synthetic:{seed}:{n}")
    writer = _Writer(rng, n)

    def record_ends_quote(sent: _Sent) -> bool:
        return _render(sent).endswith('"')

    # The record, without duplicate sentences.
    sents: list[_Sent] = []
    seen: set[str] = set()
    while len(sents) < n:
        sent = writer.sentence()
        if sents and record_ends_quote(sents[-1]):
            _unquote_start(sent)
        text = _render(sent)
        if text not in seen:
            seen.add(text)
            sents.append(sent)
    record_sentences = [_render(s) for s in sents]

    # Omissions.
    omitted = set(rng.sample(range(n), round(0.10 * n)))
    kept = [i for i in range(n) if i not in omitted]
    kept_set = set(kept)

    # Merges (i, i+1 -> one sentence) and splits (i -> two sentences).
    def plain(i: int) -> bool:
        return sents[i].quote is None and sents[i].end == "."

    used: set[int] = set()
    merges: set[int] = set()
    candidates = [
        i
        for i in kept
        if i + 1 in kept_set
        and plain(i)
        and plain(i + 1)
        and word_count(record_sentences[i]) + word_count(record_sentences[i + 1]) <= 40
    ]
    rng.shuffle(candidates)
    for i in candidates:
        if len(merges) >= round(0.03 * len(kept)):
            break
        if i not in used and i + 1 not in used:
            merges.add(i)
            used.update((i, i + 1))
    splits: set[int] = set()
    candidates = [i for i in kept if i not in used and plain(i) and sents[i].tail]
    rng.shuffle(candidates)
    splits.update(candidates[: round(0.03 * len(kept))])

    units: list[_Unit] = []
    skip = False
    for i in kept:
        if skip:
            skip = False
            continue
        if i in merges:
            units.append(_Unit((i, i + 1), "merge"))
            skip = True
        elif i in splits:
            units.append(_Unit((i,), "split"))
        else:
            units.append(_Unit((i,)))

    # Moves, then additions at random places.
    order, moved_units = _plan_moves(rng, len(units), round(0.05 * len(kept)))
    sequence: list[int | None | _Again] = list(order)  # unit ids; None = an addition
    additions: list[_Sent] = []
    for _ in range(round(0.10 * n)):
        additions.append(_fresh_sentence(writer, seen))
        sequence.insert(rng.randint(0, len(sequence)), None)
    if retold > 0:  # only then: the default pairs draw exactly what they always drew
        again_rng = random.Random(f"memcon-retold:{seed}:{n}")
        target = round(retold * len(kept))
        plan = _plan_retellings(again_rng, units, sequence, moved_units, target, between=between)
        for _ in range(plan):
            additions.append(_fresh_sentence(writer, seen))

    # Wording of the retelling: a separate stream per level.
    prng = random.Random(f"memcon-paraphrase:{seed}:{n}:{level}")
    wording: list[list[tuple[str, _Sent | None]]] = []
    for unit in units:
        if unit.kind == "merge":
            first, second = unit.record
            a = _paraphrase(sents[first], level, prng)
            b = _paraphrase(sents[second], level, prng)
            wording.append([(_merge(a, b), None)])
        elif unit.kind == "split":
            p = _paraphrase(sents[unit.record[0]], level, prng)
            if not p.tail:  # a paraphrase never loses the tail, but be safe
                p = sents[unit.record[0]].copy()
            wording.append([(text, None) for text in _split(p)])
        else:
            p = _paraphrase(sents[unit.record[0]], level, prng)
            wording.append([(_render(p), p)])

    witness_sentences: list[str] = []
    links: set[tuple[int, int]] = set()
    added: set[int] = set()
    moved: set[int] = set()
    merged: set[int] = set()
    told_again: set[int] = set()
    next_addition = iter(additions)
    again_prng = random.Random(f"memcon-retold-wording:{seed}:{n}")
    for item in sequence:
        if item is None:
            added.add(len(witness_sentences))
            witness_sentences.append(_after_quote(witness_sentences, next(next_addition)))
            continue
        if isinstance(item, _Again):
            (r,) = units[item.unit].record
            again = _paraphrase(sents[r], "heavy", again_prng)
            links.add((r, len(witness_sentences)))
            moved.add(len(witness_sentences))
            told_again.add(len(witness_sentences))
            witness_sentences.append(_after_quote(witness_sentences, again))
            continue
        unit = units[item]
        for text, structure in wording[item]:
            w = len(witness_sentences)
            witness_sentences.append(
                text if structure is None else _after_quote(witness_sentences, structure)
            )
            links.update((r, w) for r in unit.record)
            if item in moved_units:
                moved.add(w)
            if unit.kind == "merge":
                merged.add(w)

    return SyntheticPair(
        record_sentences=record_sentences,
        witness_sentences=witness_sentences,
        links=links,
        omitted=omitted,
        added=added,
        moved=moved,
        level=level,
        seed=seed,
        merged=merged,
        split=splits,
        retold=told_again,
    )
