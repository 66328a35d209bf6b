"""Quotations: the quoted words, who said them and the verb that says so.

Quoted spans are found by their marks, paragraph by paragraph, in straight or curly
quotes; marks that do not pair the usual way are handled as writers and OCR produce them:
a doubled opener (`""dangerous moment"`), a double-quoted passage closed by a single mark
(`"psychological pressure'`), and a passage opened in one paragraph and never closed
(news style for a quote that runs on). Quoted names are not quotes (`“Allied Resolve”`).

The attribution is read from the quote's own sentence(s), outside any quote marks, in
this order:

1. right after the quote: `"…," Putin said`, `"…," said French Foreign Minister Jean-Yves
   Le Drian`, `"…," he said`;
2. a verb before the quote: `Lukashenko told reporters "…"`, `Kyiv denounced the war
   games as "…"`, `… and said Moscow had "no plans"`;
3. a colon introduction: `a plea from Secretary-General Antonio Guterres: "…"` (no verb);
4. a verb later in the sentence: `to avoid a "miscalculation" …, the Pentagon said`;
   `according to X` (no verb);
5. a quote that opens a sentence with no attribution of its own takes the speaker of the
   sentence right before it when that quotes no one: its reported speech (`Evans said it
   was not deterring shoppers. "I've sold a lot."`, also across a paragraph break) or, in the
   same paragraph, its subject when a person (`Ardern paused. "None."`, `Does she see
   herself returning? "Not in politics."`); else it continues the quote before it in the
   paragraph: `"A," Lukashenko told reporters. "B."` (which also outweighs a pronoun or a
   role in the sentence before).

The speaker is the entity mention that is the verb's subject: the nearest person,
organization or place before the verb that is not inside a prepositional phrase (`EU
ministers meeting in Brussels said`, but `a statement from the Kremlin said`) or an
appositive (`Medvedev, now deputy head of Russia's Security Council, mocked`); after the
verb when the order is inverted; the subject of the sentence's earlier verb for a
participle or a second verb (`Lavrov said, adding …`). Further:

- a pronoun is the nearest fitting entity before it: `he`/`she` a person not known (by
  first name or `Mr`/`Ms`) as the other, `it` an organization or place (after a sentence
  whose subject is a document, `The indictment … alleged`, that document's issuer), `they` the last
  entity named in the paragraph outside a prepositional phrase when that is a person, or an
  organization that is its sentence's subject (`Chelsea said they …`; a group is no entity);
- a role noun with `the` is the person the article gives that role in a title or an
  appositive (`the president` → `U.S. President Joe Biden`; `the Russian minister`, `the
  head of state`, `the Ukrainian leader`, `the US president`: a place or nationality in
  it is a modifier, not the speaker); of several, one named in the quote's paragraph,
  else the first given the role; `the vice president` is not `the president`;
- an organization or document noun (`the ministry`, `the company`, `the statement`) is
  the last organization named before, one whose name holds the noun first;
- a person the model tagged ORG, GPE or NORP (`Zelenskiy`, `Mr Albanese`) is the person the
  article names elsewhere (`Volodymyr Zelenskiy`, PERSON), or a person when a title or an
  honorific stands before it; a given or middle name alone (`Rohit said`, `Sir John said`,
  `Lula said`) is the one person named in full with it;
- appositives and letters after a name are not the subject (`Sen. Rand Paul, R-Ky., who
  voted against the bill, said`, `Judge Richard Mansell KC said`);
- a quote continued in the next paragraph (opened, never closed, reopened) keeps its
  speaker, both ways; a paragraph opening with an unattributed quote right after a
  quoted paragraph continues it.

A speaker that is no entity (`a senior administration official`, an unresolved `he`, a
titled name the model missed: `Chief Executive Rosalind Brewer told`, kept as written) has
no name; an unnamed source is never an entity named before it (`Speaking ahead of the Army
Board meeting, a spokesman said`), but a spokesperson by an organization's noun is that
organization (`a company spokesperson`); a pronoun before a colon is its person (`she was
blunt: "…"`); and the verb of `according to` is None. `speaker_name` is the canonical name of
the speaker's entity in the article.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from transforms.english import english_words
from transforms.entities import Mention
from transforms.given_names import given_name_sex
from transforms.literals import find_literals
from transforms.places import DEMONYMS
from transforms.reference import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES


@dataclass(frozen=True)
class Quote:
    char_start: int  # the quoted words, without their marks
    char_end: int
    text: str
    speaker_text: str | None  # as the attribution writes it: `Lukashenko`, `he`, `the Pentagon`
    speaker_entity_id: str | None
    speaker_name: str | None  # the speaker's canonical name
    verb: str | None  # as written: `said`, `told`, `adding`; None for `according to` or a colon


ATTRIBUTION_VERBS = frozenset(
    """
    said says say told tells added adds adding saying wrote writes tweeted posted called calls calling
    described describes describing dismissed dismissing denounced denouncing warned warns warning urged
    urges urging announced announces threatened mocked accused accuses accusing insisted insists
    stressed stresses noted notes asked asks replied declared condemned condemning argued argues claimed
    claims explained acknowledged admitted promised vowed pledged branded labelled labeled termed hailed
    praised criticised criticized slammed rejected denied confirmed recalled quoted conceded quipped
    cautioned remarked observed complained lamented boasted joked responded retorted countered predicted
    stated states commented comments reiterated emphasised emphasized insisting explaining admits recalls
    testified exclaimed shouted laughed sighed blasted fumed conceding
    laughs jokes explains replies sighs smiles smiled grins grinned concedes confirms declares complains predicts
    muses mused beams beamed shrugs shrugged
    """.split()
)
_PARTICIPLES = frozenset(v for v in ATTRIBUTION_VERBS if v.endswith("ing"))
_VERB = re.compile(r"(?<![\w-])(" + "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True)) + r"|according to)\b")
# In a quote's sentence, `According to` may open it.
_ATTRIBUTION = re.compile(r"(?<![\w-])(" + "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True)) + r"|[Aa]ccording to)\b")
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "FAC"})  # FAC: `the Kremlin`, `the Elysee` as spaCy may tag them
_PREPOSITIONS = frozenset(
    "in at from to for on of with by near into across over against about during after before between "
    "toward towards under through within without via".split()
)
_PRONOUNS = {"he": "m", "she": "f", "it": "it", "they": "any"}  # `they`: a person who is neither, or a group
_BETWEEN_SUBJECT_AND_VERB = re.compile(
    r"^(?:\s+(?:also|later|then|again|repeatedly|earlier|has|had|have|once|previously|separately|"
    r"statement|office|spokesman|spokeswoman|spokesperson|ministry|said|has since))*\s*$"
)
_PRONOUN_BEFORE = re.compile(r"\b(he|she|it|they|He|She|It|They)\s+(?:(?:also|later|then|again|has|had|have)\s+)*$")
_NP_END = re.compile(r"[,.;:!?\"“”]|\b(?:who|which|that|when|while|where|in|at|on|during|after|before|as|adding|and)\b")
_NAME_LIKE = re.compile(r"^(?:[A-Z][\w’'.-]*)(?:\s+(?:of|the|and|for|[A-Z][\w’'.-]*))*$")


@dataclass
class _Quoted:
    open_pos: int  # the opening mark
    close_pos: int  # the closing mark (== inner end when the quote runs to the paragraph's end)
    start: int  # the quoted words
    end: int
    runs_on: bool = False  # opened and never closed: continued in the next paragraph


def extract_quotes(body: str, sentences: list[tuple[int, int]], mentions: list[Mention]) -> list[Quote]:
    """The quotes of one article. `sentences` are (start, end) spans over `body`;
    `mentions` its canonical entity mentions (transforms.entities.canonicalize)."""
    within = _InsideMention(mentions)
    quoted = [q for q in find_quoted(body) if not _is_name(body, q, within)]
    mentions = _people_as_people(body, sorted(mentions, key=lambda m: m.char_start))
    roles = _Roles(body, mentions, sentences, [(q.open_pos, q.close_pos) for q in quoted])
    out: list[Quote] = []
    previous: tuple[_Quoted, Quote] | None = None
    masked = _masked(body, quoted)
    frames: dict[tuple[int, int], tuple[str, list[tuple[int, int, str]]]] = {}  # per sentence range
    for q in quoted:
        s0, s1 = _sentence_range(sentences, q, len(body))
        if (s0, s1) not in frames:
            frame = masked[s0:s1]
            frames[s0, s1] = frame, _verbs_in(frame, s0)
        found = _attribute(body, q, quoted, s0, s1, *frames[s0, s1], mentions, roles)
        if found is None and not q.runs_on:
            found = _prior_speaker(body, q, s0, sentences, masked, mentions, roles)
            if found is not None and found[1] is not None and found[0] != found[1].text and _continues(body, q, s0, previous):
                found = None  # a pronoun or a role there: the quote before is the better evidence
        if found is None and previous is not None and _continues(body, q, s0, previous):
            prev_q, prev_quote = previous
            found = (prev_quote.speaker_text, _mention_by_id(mentions, prev_quote.speaker_entity_id), prev_quote.verb)
        speaker_text, mention, verb = found if found else (None, None, None)
        quote = Quote(
            char_start=q.start,
            char_end=q.end,
            text=body[q.start : q.end],
            speaker_text=speaker_text,
            speaker_entity_id=mention.entity_id if mention else None,
            speaker_name=mention.canonical_name if mention else None,
            verb=verb,
        )
        out.append(quote)
        previous = (q, quote)
        roles.note_speaker(q.open_pos, speaker_text, mention)
    # A quote that ran on without a speaker of its own takes the one its continuation names
    # (`"A. ¶ "B," Peskov said.`: A is Peskov's too).
    for i in range(len(out) - 2, -1, -1):
        if quoted[i].runs_on and out[i].speaker_entity_id is None and out[i + 1].speaker_entity_id:
            nxt = out[i + 1]
            out[i] = replace(
                out[i],
                speaker_text=nxt.speaker_text,
                speaker_entity_id=nxt.speaker_entity_id,
                speaker_name=nxt.speaker_name,
                verb=out[i].verb or nxt.verb,
            )
    return out


def _continues(body: str, q: _Quoted, s0: int, previous: tuple[_Quoted, Quote] | None) -> bool:
    """Whether an unattributed quote continues the quote before it: opening a sentence in the
    same paragraph, or opening a paragraph right after one that quoted, or after a quote that
    ran on (`"A … ¶ "B."`, news style), when that quote had a speaker or a verb."""
    if previous is None:
        return False
    prev_q, prev_quote = previous
    same_paragraph = "\n" not in body[prev_q.close_pos : q.open_pos]
    opens_sentence = not body[s0 : q.open_pos].strip()
    here = _paragraph_start(body, q.open_pos)
    opens_paragraph = not body[here : q.open_pos].strip()
    continued = opens_paragraph and here > 0 and (prev_q.runs_on or prev_q.open_pos >= _paragraph_start(body, here - 2))
    return ((same_paragraph and opens_sentence) or continued) and bool(prev_quote.speaker_name or prev_quote.verb)


def _verbs_in(frame: str, offset: int) -> list[tuple[int, int, str]]:
    """The speech verbs of a masked frame as (start, end, verb) over the body; `According to`
    opening a sentence is `according to`."""
    return [
        (offset + m.start(), offset + m.end(), m.group(1).replace("According", "according")) for m in _ATTRIBUTION.finditer(frame)
    ]


def _prior_speaker(
    body: str,
    q: _Quoted,
    s0: int,
    sentences: list[tuple[int, int]],
    masked: str,
    mentions: list[Mention],
    roles: _Roles,
) -> tuple[str | None, Mention | None, str | None] | None:
    """The speaker of a quote that opens its sentence with no attribution, from the sentence
    right before it when that has no quote of its own (news style): the speaker of its
    reported speech (`Evans said it was not deterring shoppers. "I've sold a lot."`, also
    across a paragraph break), or, in the same paragraph, its subject when that is a person
    (`Ardern paused. "None."`, `Does she see herself returning? "Not in politics."`)."""
    if body[s0 : q.open_pos].strip():
        return None
    i = bisect.bisect_right(sentences, (s0, -1)) - 1
    while i >= 0 and sentences[i][1] > s0:
        i -= 1
    if i < 0 or body[sentences[i][1] : s0].strip():
        return None
    p0, p1 = sentences[i]
    frame = masked[p0:p1]
    if frame != body[p0:p1]:
        return None  # a quote there: the quote before continues (below)
    same_paragraph = "\n" not in body[p1 : q.open_pos] and "\n" not in body[p0:p1].strip()
    verbs = _verbs_in(frame, p0)
    if verbs:
        text, mention, verb = _speaker(body, verbs[0], verbs, p0, mentions, p0, frame, roles, q.open_pos)
        return (text, mention, verb) if mention is not None else None
    if not same_paragraph:
        return None
    if pm := _SUBJECT_PRONOUN.match(body, p0, p1):
        outside = [m for m in mentions if not roles.inside_quote(m.char_start)]
        found = _antecedent(body, outside, pm.start("pronoun"), pm.group("pronoun").lower(), roles.sentence_starts)
        return (pm.group("pronoun"), found, None) if found is not None and found.label == "PERSON" else None
    subject = _person_subject(body, p0, p1, mentions)
    return (subject.text, subject, None) if subject else None


def _person_subject(body: str, p0: int, p1: int, mentions: list[Mention]) -> Mention | None:
    """The person opening the sentence body[p0:p1] as its subject, after a title (`Former
    India coach Ravi Shastri`) or a fronted clause (`Asked whether …, Ardern paused`)."""
    people = [m for m in mentions if p0 <= m.char_start < p1 and m.label == "PERSON"]
    if not people or _after_preposition(body, people[0].char_start, p0):
        return None
    lead = body[p0 : people[0].char_start]
    if fronted := _FRONTED.match(lead):
        lead = lead[fronted.end() :]
    if all(w[:1].isupper() or w.casefold() in _ROLE_NOUNS or w.casefold() in _TITLE_GLUE for w in lead.split()):
        return people[0]
    return None


# A clause fronted before a sentence's subject: `Asked whether …,`, `Speaking on radio,`,
# `After the match,`, `When pressed,`.
_FRONTED = re.compile(
    r"\s*(?:[A-Z][a-z]+(?:ing|ed)|After|Before|On|In|At|During|Despite|When|While|As|Although|Though|Since|"
    r"Earlier|Later|Then)\b[^,.;:!?\"“”]*,\s*"
)


# A sentence whose subject is a pronoun: `She paused.`, `Asked about it, he laughed.`, and a
# question in an interview's narration (`Does she see herself returning?`).
_SUBJECT_PRONOUN = re.compile(
    r"\s*(?:(?:[A-Z][a-z]+(?:ing|ed)|After|Before|On|In|At|During|Despite|When|While|As|Although|Though|Since)"
    r"\b[^,.;:!?\"“”]*,\s+)?(?:(?:Does|Did|Is|Was|Will|Would|Can|Could|Has|Had|Should)\s+)?"
    r"(?P<pronoun>[Hh]e|[Ss]he)\b"
)


# A colon introduction whose subject is what a person said (`His message was simple:`,
# `Her answer:`).
_POSSESSIVE_SUBJECT = re.compile(
    r"\s*(?P<pronoun>His|Her)\s+(?:[a-z]+\s+){0,2}?(?:message|answer|reply|response|verdict|advice|view|warning|"
    r"reaction|words|request|plea|point|argument|explanation|conclusion|assessment|instruction|instructions)\b"
)


def _paragraph_start(body: str, pos: int) -> int:
    if pos <= 0:
        return 0
    cut = body.rfind("\n\n", 0, pos)
    return 0 if cut == -1 else cut + 2


# --- who a mention is ---------------------------------------------------------------------

# Titles that say the name after them is a person's, whatever label the model gave it
# (`President Volodymyr Zelenskiy` tagged ORG).
_PERSON_TITLE_BEFORE = re.compile(
    r"\b(?:President|Prime Minister|Minister|Chancellor|Secretary|Spokesman|Spokeswoman|Mr|Mrs|Ms|Dr|"
    r"King|Queen|Pope|Senator|General|Governor|Mayor|Ambassador|"
    # a role in lower case: `BJP spokesperson Sambit Patra`, `Congress leader Adhir Chowdhury`
    r"spokesperson|spokesman|spokeswoman|leader|minister|secretary|chief|coach|captain|manager|"
    r"MP|MEP|MLA|senator|governor|mayor|chairman|chairwoman|director|executive|CEO)\.?\s+$"
)


def _people_as_people(body: str, mentions: list[Mention]) -> list[Mention]:
    """The article's mentions, with a person the model tagged ORG, GPE or NORP in one place
    (`Zelenskiy` as ORG, `Mr Albanese` as NORP) given as the person the article names
    elsewhere (`Volodymyr Zelenskiy`, PERSON), or labelled PERSON when a title or an
    honorific stands before it; and a first name alone (`Rohit said`) given as the one
    person the article names in full with it (`Rohit Sharma`)."""
    # How the article itself uses a name says it is a person's, whatever the model's label
    # (`Mizanur Rahman, a sewing operator, said …. "…," he said`, `Jasem Albudaiwi` … `Mr
    # Albudaiwi said`): names from any language, where the first-name lists know few.
    by_usage = _people_by_usage(body, mentions)
    mentions = [replace(m, label="PERSON") if m.entity_id in by_usage else m for m in mentions]
    # Only a full name is evidence (`Volodymyr Zelenskiy`): the model calls a one-word thing
    # a person now and then (`Halo`), and that would make its every mention a person.
    people = [m for m in mentions if m.label == "PERSON" and len(m.canonical_name.split()) >= 2]
    by_name, surnames, first_names = _name_index(people)
    out = []
    for m in mentions:
        person = None
        honorific = _HONORIFIC_BEFORE.search(body[max(0, m.char_start - 6) : m.char_start])
        if m.label in ("ORG", "GPE", "FAC", "NORP"):
            person = _by_name(m, by_name, bool(honorific))
        elif m.label == "PERSON" and len(m.canonical_name.split()) == 1:
            # `Albudaiwi` (of `Mr Albudaiwi`) is the `Jasem Albudaiwi` the model tagged ORG,
            # which the entities could not join to a person
            full = by_name.get(m.canonical_name.casefold())
            person = full if full is not None and full.entity_id in by_usage else None
        if person is None:
            person = _by_first_name(m, mentions, people, first_names, surnames)
        if person is not None:
            m = replace(
                m,
                label="PERSON",
                entity_id=person.entity_id,
                canonical_name=person.canonical_name,
                entity_key=person.entity_key,
                country_code=None,
                latitude=None,
                longitude=None,
            )
        elif _named_as_a_person(body, m, bool(honorific)):
            m = replace(m, label="PERSON")
        elif m.label == "PERSON" and {w.casefold() for w in m.canonical_name.split()} & _ORG_NAME_WORDS:
            m = replace(m, label="ORG")  # `Manchester United` the model called a person
        out.append(m)
    return _titles_as_their_holders(body, out)


def _titles_as_their_holders(body: str, mentions: list[Mention]) -> list[Mention]:
    """A one-word title the model tagged as a name, set off before its holder's full name
    (`The Taoiseach, Simon Harris, insisted`), is that person wherever the article uses it:
    `the Taoiseach said` is Simon Harris."""
    holders: dict[str, Mention] = {}
    for m, nxt in itertools.pairwise(mentions):
        if (
            m.label in ("PERSON", "ORG", "NORP")
            and len(m.text.split()) == 1
            and nxt.label == "PERSON"
            and len(nxt.canonical_name.split()) >= 2
            and nxt.entity_id != m.entity_id
            and _THE_BEFORE.search(body, max(0, m.char_start - 4), m.char_start)
            and _APPOSED_HOLDER.fullmatch(body, m.char_end, nxt.char_start)
            and body[nxt.char_end : nxt.char_end + 1] == ","
            and _APPOSITION_ENDS.match(body, nxt.char_end + 1)
        ):
            holders.setdefault(m.entity_id, nxt)
    if not holders:
        return mentions
    return [
        replace(
            m,
            label="PERSON",
            entity_id=h.entity_id,
            canonical_name=h.canonical_name,
            entity_key=h.entity_key,
            country_code=None,
            latitude=None,
            longitude=None,
        )
        if (h := holders.get(m.entity_id)) is not None
        else m
        for m in mentions
    ]


_THE_BEFORE = re.compile(r"(?:^|(?<=\s))[Tt]he\s+$")
_APPOSED_HOLDER = re.compile(r",\s+")
# After the holder's closing comma the sentence goes on in lower case (`, insisted`, `, who`),
# not with `and`/`or` or another name: `Backers include the Wellcome, John Lewis, and Tesco`
# is a list, and John Lewis is not the Wellcome.
_APPOSITION_ENDS = re.compile(r"\s+(?!(?:and|or|nor)\b)[a-z]")


_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Madam)\.?\s+"
_SPEECH_WORDS = "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True))
_BYLINE = re.compile(r"^(?:By|Compiled by|Reporting by|Written by)\s+(?P<name>[^\n,|]+)", re.MULTILINE)
_AFTER_HONORIFIC = re.compile(rf"\b{_HONORIFIC}([A-Z][\w’'-]*)\b")
_SPEECH_AFTER = re.compile(rf"\s+(?:{_SPEECH_WORDS})\b")
_NAME_GOES_ON = re.compile(r"\s+[A-Z]")
_NAME_WORD_BEFORE = re.compile(r"(?<![\w’'-])([A-Z][\w’'-]*)\s$")
_COMMA_OR_SPEECH = re.compile(rf"\s*(?:,|(?:{_SPEECH_WORDS})\b)")
_HE_OR_SHE_SAYS = re.compile(r"\b(?:he|she)\s+(?:(?:also|later|then|again|has|had)\s+)*(?:" + _SPEECH_WORDS + r")\b")


# Around a candidate's surname found in the body (`find_literals`: no pattern per article).
_SURNAME_BEFORE = re.compile(r"(?<![\w-])")
_SURNAME_AFTER = re.compile(r"\b")


def _people_by_usage(body: str, mentions: list[Mention]) -> set[str]:
    """The entity ids of names the model did not tag PERSON that the article uses as a
    person's: the surname after an honorific (`Mr Albudaiwi`) or alone as the subject of a
    speech verb (`Marokane said`, `said Marokane`), `he`/`she` speaking next in its
    paragraph with no other person named between (`Mizanur Rahman, a sewing operator, said
    …. "…," he said`), or the byline (`Compiled by Lameez Omarjee`). Only names of two or
    three capitalized words with no organization word (`Bank of Baroda` is never `Mr
    Baroda`) and no place the gazetteer knows."""
    found: set[str] = set()
    bylines = [(b.start("name"), b.end("name")) for b in _BYLINE.finditer(body)]
    # Where each candidate's surname is used as one: one pattern of the article's candidate
    # surnames (a pattern per name, with the speech verbs in it, cost 1.2 CPU-s on 557 BBC
    # files, most of extracting the quotes).
    # surname -> (where it is used as one, the name word right before it if any): the whole
    # name before a speech verb is how a company speaks too (`Retail Decisions said`, `In
    # what Dimension Data calls`); the surname alone is a person's (`Marokane said`).
    spoken: dict[str, list[tuple[int, str]]] = {}
    for hm in _AFTER_HONORIFIC.finditer(body):
        spoken.setdefault(hm.group(1), []).append((hm.start(), ""))
    surnames = {m.text.split()[-1] for m in mentions if m.label != "PERSON" and len(m.text.split()) in (2, 3)}
    if surnames:
        names = [w for w in sorted(surnames) if w[:1].isupper()]
        for wm in find_literals(body, names, _SURNAME_BEFORE, _SURNAME_AFTER):
            before = body[max(0, wm.start - 24) : wm.start]
            words_before = before.split()
            after_verb = before[-1:].isspace() and bool(words_before) and words_before[-1] in ATTRIBUTION_VERBS
            if after_verb and not _NAME_GOES_ON.match(body, wm.end):
                spoken.setdefault(wm.word, []).append((wm.start, ""))
            elif _SPEECH_AFTER.match(body, wm.end):
                glued = _NAME_WORD_BEFORE.search(before)
                spoken.setdefault(wm.word, []).append((wm.start, glued.group(1) if glued else ""))
    for i, m in enumerate(mentions):
        words = m.text.split()
        if (
            m.label not in ("ORG", "GPE", "FAC", "PRODUCT", "WORK_OF_ART")
            or m.entity_id in found
            or m.country_code is not None
            or not 2 <= len(words) <= 3
            or not all(w[:1].isupper() for w in words)
            or {w.casefold().strip(".,") for w in words} & _ORG_NAME_WORDS
            or re.match(_HONORIFIC, m.text)  # `Mr Stone`: the honorific's rules (`_by_name`)
        ):
            continue
        if any(a <= m.char_start and m.char_end <= b for a, b in bylines) or any(
            at >= m.char_end and glued != words[-2] for at, glued in spoken.get(words[-1], ())
        ):
            found.add(m.entity_id)
            continue
        # The name as its sentence's subject (`Mizanur Rahman, a sewing operator …, said`,
        # not `Ian Fogg, an analyst at Jupiter Research, said`), `he`/`she` speaking next
        # in the paragraph with no other name between.
        opens = re.search(r"(?:^|\n|[.!?][”\"]?\s)\s*$", body[max(0, m.char_start - 3) : m.char_start]) or m.char_start == 0
        end = body.find("\n\n", m.char_end)
        end = len(body) if end == -1 else end
        if (
            opens
            and _COMMA_OR_SPEECH.match(body, m.char_end)
            and (he := _HE_OR_SHE_SAYS.search(body, m.char_end, end))
            and not any(m.char_end <= x.char_start < he.start() and x.entity_id != m.entity_id for x in mentions[i + 1 :])
        ):
            found.add(m.entity_id)
    return found


def _name_index(people: list[Mention]) -> tuple[dict[str, Mention], set[str], dict[str, set[str]]]:
    """The article's people named in full: by full name, text and surname; their surnames;
    the ids of those with each given or middle name (`Lula` of Luiz Inacio Lula da Silva)."""
    by_name: dict[str, Mention] = {}
    for p in people:
        for name in (p.text.casefold(), p.canonical_name.casefold(), p.canonical_name.split()[-1].casefold()):
            by_name.setdefault(name, p)
    first_names: dict[str, set[str]] = {}
    for p in people:
        for given in p.canonical_name.split()[:-1]:
            if given[:1].isupper() and len(given) > 2:
                first_names.setdefault(given.casefold(), set()).add(p.entity_id)
    return by_name, {p.canonical_name.split()[-1].casefold() for p in people}, first_names


def _by_name(m: Mention, by_name: dict[str, Mention], honorific: bool) -> Mention | None:
    """The person an ORG, GPE, FAC or NORP mention names by full name or surname."""
    person = by_name.get(m.text.casefold()) or by_name.get(m.canonical_name.casefold())
    if person is not None and m.label == "NORP" and m.text.capitalize() in DEMONYMS and not honorific:
        return None  # `French` is the people, not Mark French
    if person is None and len(m.text.split()) >= 2 and m.label != "NORP":
        person = by_name.get(m.text.split()[-1].casefold())
        if (
            person is not None
            and person.canonical_name.split()[0].casefold() != m.text.split()[0].casefold()
            and not re.match(_HONORIFIC, m.text)  # `Mr Albudaiwi` (as ORG) is Jasem Albudaiwi
        ):
            return None  # `Joe Biden` is not `Jill Biden`
    return person


def _by_first_name(
    m: Mention, mentions: list[Mention], people: list[Mention], first_names: dict[str, set[str]], surnames: set[str]
) -> Mention | None:
    """The person a one-word mention names by first name: the one person named in full with
    it, when no one has it as a surname, unless the article uses the word for something else
    more often than it names the person (`Yahoo` twenty times as ORG after one `Yahoo
    Messenger`)."""
    key = m.text.casefold()
    ids = first_names.get(key, set())
    if len(m.text.split()) != 1 or m.country_code is not None or m.label == "FAC" or len(ids) != 1 or key in surnames:
        return None
    person = next(p for p in people if p.entity_id in ids)
    other = sum(1 for x in mentions if x.text.casefold() == key and x.label != "PERSON")
    return None if other > sum(1 for x in mentions if x.entity_id == person.entity_id) else person


def _named_as_a_person(body: str, m: Mention, honorific: bool) -> bool:
    """Whether an ORG, GPE, FAC or NORP mention is a person's name by its look (a first name
    the reference knows), a title before it (`President Volodymyr Zelenskiy`) or an
    honorific before one word (`said Mr Irish`)."""
    if m.label not in ("ORG", "GPE", "FAC", "NORP", "WORK_OF_ART", "PRODUCT") or not m.text[:1].isupper():
        return False
    if honorific and len(m.text.split()) == 1:
        return True
    return m.label != "NORP" and (
        _looks_like_a_person(m)
        or (
            len(m.text.split()) >= 2
            and not {w.casefold().strip(".,") for w in m.text.split()} & _ORG_NAME_WORDS
            and (
                bool(_PERSON_TITLE_BEFORE.search(body[max(0, m.char_start - 20) : m.char_start]))
                or _in_apposition_to_a_role(body, m)
            )
        )
    )


def _in_apposition_to_a_role(body: str, m: Mention) -> bool:
    """`its director general, Gavin Partington, said`: a name set off after a role, or
    before one (`Simon Yates, a senior analyst for Forrester, said`)."""
    np = _TITLE_BEFORE_COMMA.search(body[max(0, m.char_start - 80) : m.char_start])
    if np is not None and body[m.char_end : m.char_end + 1] in (",", "."):
        return any(w.casefold() in _ROLE_NOUNS for w in _TITLE_WORD.findall(np.group("np")))
    after = _ROLE_AFTER_NAME.match(body, m.char_end)
    return after is not None and after.group("noun").casefold() in _ROLE_NOUNS | _PERSON_NOUNS


# `, a senior analyst for Forrester,`, `, the company's chief executive,`
_ROLE_AFTER_NAME = re.compile(
    r",\s+(?:a|an|the|its|his|her|their)\s+(?:[\w.’'-]+\s+){0,3}?(?P<noun>[a-z][\w-]*)(?=\s*,|\s+(?:for|at|of|with|from|in|on)\s)"
)


# Words that make a name an organization's, whatever title stands before it (`league
# leader Manchester City`).
_ORG_NAME_WORDS = frozenset(
    """
    united city fc club party council ministry group bank union league association company inc ltd plc corp
    corporation limited agency department office university college school hospital police court committee
    commission board institute foundation trust fund authority service services airways airlines news times
    post congress parliament assembly government army navy software systems technologies holdings industries
    pharmaceuticals motors airline studios pictures records networks communications electronics
    """.split()
)


_HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+$")


_FIRST_NAMES = MALE_FIRST_NAMES | FEMALE_FIRST_NAMES


def _looks_like_a_person(m: Mention) -> bool:
    """A name the model tagged ORG or GPE that is a person's: two or three capitalized words
    opening with a known first name (the reference's lists, or for two words one
    gender-guesser's data is sure of: `Vince Cable`, not `Jordan Valley Farms`), and no place
    the gazetteer coded (`Volodymyr Zelenskiy`
    as ORG, so that `he said` after it finds him)."""
    words = m.text.split()
    return (
        m.country_code is None
        and 2 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and (words[0].casefold() in _FIRST_NAMES or (len(words) == 2 and _first_name_sex(words[0]) is not None))
    )


# Role nouns an attribution names a person by (`the president said`), and the title words
# that give a person that role (`Vice President Kamala Harris`, `Kremlin spokesman Dmitry
# Peskov`, `Jens Stoltenberg, NATO's secretary general`).
_ROLE_NOUNS = frozenset(
    """
    president minister chancellor secretary spokesman spokeswoman spokesperson premier leader chief mp mep
    executive governor mayor general commander ambassador envoy king queen prince pope senator chairman
    chairwoman chair director coach manager captain prosecutor judge adviser advisor diplomat negotiator
    head founder owner ceo cfo coo cto commissioner skipper boss lawyer attorney barrister solicitor professor
    councillor councilor congressman congresswoman representative sheriff inspector superintendent constable
    bishop archbishop cardinal rabbi imam priest headteacher headmaster principal official
    admiral colonel lieutenant sergeant brigadier marshal commodore speaker
    """.split()
)
# People named by what they are rather than a title: the last person named before.
_PERSON_NOUNS = frozenset(
    "analyst expert economist businessman businesswoman lawmaker politician veteran "
    "researcher scientist activist resident witness player striker midfielder defender goalkeeper "
    "winger forward hooker prop flanker lock back-rower fly-half scrum-half full-back batsman bowler keeper playmaker "
    "champion rider cyclist runner sprinter swimmer golfer boxer fighter jockey driver youngster teenager "
    "actress actor star singer rapper presenter officer detective mother father mum dad grandmother "
    "grandfather pensioner student nurse doctor teacher campaigner victim survivor left-hander right-hander "
    "all-rounder opener spinner seamer paceman wicketkeeper centre-back centre-half full-back winger "
    "quarterback pitcher slugger guard centre point-guard tennis-player legend icon superstar".split()
)
# A person by nationality (`the Spaniard said`; the adjectives, `the Italian`, are DEMONYMS),
# by party (`the New York Democrat`) or by age (`the 30-year-old told`): the person the
# passage is about, as for a pronoun.
_NATIONALITY_NOUNS = {
    "spaniard": "ES", "frenchman": "FR", "frenchwoman": "FR", "briton": "GB", "scot": "GB", "welshman": "GB",
    "welshwoman": "GB", "englishman": "GB", "englishwoman": "GB", "irishman": "IE", "irishwoman": "IE",
    "dutchman": "NL", "dutchwoman": "NL", "dane": "DK", "swede": "SE", "finn": "FI", "pole": "PL", "turk": "TR",
    "zealander": "NZ", "kiwi": "NZ", "aussie": "AU", "icelander": "IS",
}  # fmt: skip
# A parent or grandparent by their children, as tabloids write them: `the dad-of-two`.
_PARENT_OF = re.compile(r"(?:mum|mother|mom|dad|father|gran|grandmother|grandma|grandad|grandfather)-of-[a-z]+")
_PARTY_NOUNS = frozenset("democrat republican conservative tory liberal socialist independent".split())
_AGE_NOUN = re.compile(r"\d{1,3}-year-old")
_ROLE_SYNONYMS = {
    "leader": frozenset({"leader", "president", "chancellor", "premier", "prime", "king", "queen"}),
    "head of state": frozenset({"president", "king", "queen", "monarch", "emir", "sultan"}),
    "premier": frozenset({"premier", "prime"}),
    "secretary-general": frozenset({"secretary-general", "secretary"}),
    "spokesperson": frozenset({"spokesperson", "spokesman", "spokeswoman"}),
    "spokesman": frozenset({"spokesperson", "spokesman"}),
    "spokeswoman": frozenset({"spokesperson", "spokeswoman"}),
    "senator": frozenset({"senator", "sen"}),
    "skipper": frozenset({"skipper", "captain"}),
    "boss": frozenset({"boss", "manager", "coach", "head", "chief", "executive", "ceo", "chairman", "director"}),
}
# Words that make a title lesser than the role alone: `the president` is not the vice president.
_LESSER = frozenset({"vice", "deputy", "former", "ex", "assistant", "acting", "shadow"})
# Organizations and documents an attribution names by a noun (`the ministry said`, `the
# statement said`): the organization named before, one whose name holds the noun first.
_ORG_NOUNS = frozenset(
    """
    ministry company firm department office government agency army military alliance bank committee
    council court party club league union organisation organization police embassy group commission
    parliament cabinet board federation service operator regulator force
    """.split()
) | frozenset(
    """
    lender retailer airline carrier utility insurer broadcaster carmaker chipmaker miner supermarket chain
    manufacturer producer exporter watchdog thinktank charity startup conglomerate brokerage
    """.split()
)
# Nouns that stand for whichever organization was named last (`the company said`).
_ANY_ORG_NOUNS = frozenset(
    """
    company firm club group operator alliance lender retailer airline carrier utility insurer broadcaster
    carmaker chipmaker miner supermarket chain manufacturer producer exporter watchdog thinktank charity
    startup conglomerate brokerage
    """.split()
)
# An organization's noun that its name spells otherwise (`the force` → `… Police`).
_ORG_NOUN_IN_NAME = {"force": ("police", "constabulary")}
# Documents: who issued them (`the statement said` → the White House said in a statement).
_DOCUMENT_NOUNS = frozenset(
    "statement communique readout release letter report filing memo minutes update bulletin assessment ruling "
    "judgment judgement lawsuit complaint indictment".split()
)
_TITLE_WORD = re.compile(r"[A-Za-z][\w.’'-]*")
# Lower-case words of a title before a name (`Russian foreign minister Sergei Lavrov`).
_TITLE_ADJECTIVES = frozenset(
    ("foreign", "defence", "defense", "interior", "finance", "prime", "state", "general", "executive", "first")
)
_APPOSITIVE = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?(?P<title>[^,.;:“”\"]{2,60}?)\s*(?:,|\.|;|$)")
_TITLE_GLUE = frozenset({"of", "for", "and", "the", "'s", "’s"})
_TITLE_BEFORE_COMMA = re.compile(
    r"(?:^|(?<=[\s(]))(?:[Tt]he|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*['’]s)\s+"
    r"(?P<np>(?:[A-Za-z.’'-]+\s+){0,4}?[a-z][A-Za-z.’'-]*),\s+$"
)


_APPOSED_ROLE = re.compile(r",\s*(?:the\s+)?")


class _Roles:
    """Each person's title words in the article, for `the president said`."""

    def __init__(
        self,
        body: str,
        mentions: list[Mention],
        sentences: list[tuple[int, int]] | None = None,
        quoted: list[tuple[int, int]] | None = None,
    ) -> None:
        self.body = body
        self.mentions = mentions
        self.sentence_starts = [s for s, _ in sentences or []]
        self.quoted = quoted or []  # (opening mark, closing mark) of each quote
        # The quotes by opening mark, with the furthest closing mark so far: whether a
        # position is inside a quote is a bisect, not a pass over every quote (asked for
        # every mention at every quote, that pass made an article of 800 quotes take 66 CPU-s).
        marks = sorted(self.quoted)
        self._opens = [a for a, _ in marks]
        self._reach = list(itertools.accumulate((b for _, b in marks), max))
        self.titles: dict[str, set[str]] = {}
        # What the article calls an organization in apposition (`Ofwat, the industry
        # regulator,`, `Numsa, the metalworkers' union,`): `the regulator said` is Ofwat
        # though its name does not say so; a name the model tagged otherwise is that body.
        self.org_nouns: dict[str, set[str]] = {}
        for m in mentions:
            if m.label == "PERSON":
                self.titles.setdefault(m.entity_id, set()).update(_title_words(body, m))
            if m.label in ("ORG", "FAC", "GPE", "PERSON") and m.country_code is None and (noun := _org_apposition(body, m)):
                self.org_nouns.setdefault(m.entity_id, set()).add(noun)
        self._org_words: set[str] | None = None
        self.lede: tuple[Mention, set[str]] | None = self._lede_role()
        self.unnamed = False  # the last role `resolve` was asked for was brought in unnamed
        self.spoken: list[tuple[int, Mention]] = []  # (quote, its speaker) of the people quoted so far
        self.unknown_speakers: list[tuple[int, str]] = []  # (quote, name as written) of those with no entity
        # (quote, text as written) of bodies the model did not tag that spoke (`Russia's foreign ministry`)
        self.untagged_bodies: list[tuple[int, str]] = []

    def note_speaker(self, at: int, speaker_text: str | None, mention: Mention | None) -> None:
        """Who spoke the quote opening at `at`, for the quotes after it."""
        if mention is not None and mention.label == "PERSON":
            self.spoken.append((at, mention))
        elif mention is None and speaker_text and _NAME_AS_WRITTEN.fullmatch(speaker_text):
            self.unknown_speakers.append((at, speaker_text))
        elif (
            mention is None
            and speaker_text
            and speaker_text.split()[-1].casefold() in _ORG_NOUNS
            and not speaker_text.casefold().startswith(("the ", "a ", "an "))
        ):
            self.untagged_bodies.append((at, speaker_text))

    def _lede_role(self) -> tuple[Mention, set[str]] | None:
        """Wire style: the first paragraph names a role only (`Poland's defence minister said
        on Thursday …`) and the next names the person who speaks (`"…," Mariusz Blaszczak told
        reporters`). The role is that person's: (the person's first mention there, role words)."""
        # The lede is the first paragraph with a speech verb: a headline, a dateline or a
        # byline before it is not (`India, France sign deal as Modi visits Paris`).
        start = 0
        while True:
            first_end = self.body.find("\n\n", start)
            if first_end == -1:
                return None
            verb = _VERB.search(self.body, start, first_end)
            if verb is not None or self.body[start:first_end].rstrip()[-1:] in '.!?"”':
                break
            start = first_end + 2
        if verb is None or any(m.label == "PERSON" and start <= m.char_start < first_end for m in self.mentions):
            return None
        lead = self.body[start : verb.start()]
        words = [w.casefold().replace("’s", "").replace("'s", "") for w in _TITLE_WORD.findall(lead)]
        words = [w for w in words if w not in ("on", "the", "said", "monday", "tuesday", "wednesday", "thursday", "friday")]
        if not words or not (_ROLE_NOUNS & set(words)):
            return None
        second_end = self.body.find("\n\n", first_end + 2)
        second_end = len(self.body) if second_end == -1 else second_end
        people = [m for m in self.mentions if m.label == "PERSON" and first_end < m.char_start < second_end]
        people = [m for m in people if not self._in_quote(m)]
        if not people:
            return None
        self.titles.setdefault(people[0].entity_id, set()).update(words)
        return people[0], set(words)

    def _org_name_words(self) -> set[str]:
        """The words of the names the model tagged an organization or a person (a party the
        model calls a person: `Chega`), not a place's or a nationality's."""
        if self._org_words is None:
            self._org_words = {
                w.casefold() for m in self.mentions if m.label in ("ORG", "PERSON", "FAC") for w in m.text.split()
            } - {w.casefold() for m in self.mentions if m.label in ("GPE", "LOC", "NORP") for w in m.text.split()}
        return self._org_words

    def _sentence_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i] if i >= 0 else 0

    def inside_quote(self, pos: int) -> bool:
        """Whether `pos` lies between a quote's marks (`a < pos < b` for one of `quoted`)."""
        i = bisect.bisect_left(self._opens, pos)  # the quotes opening before `pos`
        return i > 0 and self._reach[i - 1] > pos

    def _in_quote(self, m: Mention) -> bool:
        return self.inside_quote(m.char_start)

    def _holds_another(self, m: Mention, countries: set[str]) -> bool:
        """Whether the article describes person `m` as what no office holder is (`Activist
        Licypriya Kangujam`; a role may be named otherwise: `the Treasury chief` is Treasury
        Secretary Janet Yellen), or gives them a role of a country other than `countries`."""
        titles = self.titles.get(m.entity_id, set())
        return bool(titles & _PERSON_NOUNS and not titles & _ROLE_NOUNS) or bool(
            countries and {_country_of(w) for w in titles} - {None} - countries
        )

    def described(self, before: int, *, paragraphs: int = 2, unfit: Callable[[Mention], bool] | None = None) -> Mention | None:
        """The person a description stands for at `before` (`the Spaniard said`, `the
        30-year-old told`, a role nobody in the article holds): the subject of the last
        sentence that names a person, in this paragraph or (`paragraphs=2`) the one before,
        names inside quotes left out (they are the speaker's words)."""
        here = _paragraph_start(self.body, before)
        start = _paragraph_start(self.body, here - 2) if paragraphs == 2 and here > 0 else here
        people = [
            m
            for m in self.mentions
            if m.label == "PERSON" and start <= m.char_start and m.char_end <= before and not self._in_quote(m)
        ]
        # not people named only after a preposition (`Tries from Dan Sheehan, Ciaran Frawley
        # and Tadhg Beirne put the champions out of sight`): what the sentence is about is no one
        people = [m for m in people if not _after_preposition(self.body, m.char_start, self._sentence_start(m.char_start))]
        if unfit is not None:
            people = [m for m in people if not unfit(m)]
        if not people and paragraphs == 2:
            # No one named there: the person last quoted, in the paragraphs before (`"…," the
            # defender told The Guardian. ¶ Last October, Arsenal lost … ¶ "…," added the
            # 30-year-old`), the thread a report follows.
            back = here
            for _ in range(3):
                back = _paragraph_start(self.body, back - 2) if back > 0 else 0
            spoken = [m for at, m in self.spoken if back <= at < before]
            return spoken[-1] if spoken else None
        return _subject_of_sentence(self.body, people, self.sentence_starts, start) if people else None

    def resolve(self, np: str, before: int, *, owned: bool = False) -> Mention | None:  # noqa: C901
        """The mention a role noun phrase (`president`, `Russian minister`, `ministry`)
        stands for at `before` (the quote), or None. `owned`: the role is someone's
        (`Putin's spokesman`), so not the person the passage is about."""
        self.unnamed = False
        words = [w.casefold().rstrip(".") for w in np.split()]
        if not words:
            return None
        if words[-3:] == ["head", "of", "state"]:
            head, modifiers = "head of state", words[:-3]
        else:
            head, modifiers = words[-1], words[:-1]
        earlier = [m for m in self.mentions if m.char_end <= before]
        if head in _DOCUMENT_NOUNS:
            return self._issuer(head, before)
        if head in _ORG_NOUNS:
            orgs = [
                m
                for m in earlier
                if (m.label in ("ORG", "FAC") or m.entity_id in self.org_nouns)
                and not self._in_quote(m)
                and m.text.casefold() not in _ROLE_ACRONYMS
            ]
            spelled = _ORG_NOUN_IN_NAME.get(head, (head,))
            named = [m for m in orgs if any(w in _org_words(m) for w in spelled) or head in self.org_nouns.get(m.entity_id, ())]
            # `the foreign ministry` is not the defence ministry named before.
            named = [m for m in named if all(_spelled(w) in _org_words(m) for w in modifiers)]
            if named:
                return named[-1]
            # `the company`, `the club`: the subject of the last sentence that names one;
            # `the government` is not any organization
            if not orgs or head not in _ANY_ORG_NOUNS:
                return None
            # not one named after a preposition (`said Lisa Gill, an analyst at JPMorgan`)
            # when another was named as a subject or object
            free = [m for m in orgs if not _after_preposition(self.body, m.char_start, self._sentence_start(m.char_start))]
            orgs = free or orgs
            return _subject_of_sentence(self.body, orgs, self.sentence_starts, _paragraph_start(self.body, orgs[-1].char_start))
        if _describes_a_person(words):
            return self.described(before)
        if head not in _ROLE_NOUNS and head != "head of state":
            # A title the article itself gives, whatever its words (`Chief Justice Qazi Faez
            # Isa` … `the chief justice remarked`; `Deputy Public Prosecutor Ng Jun Chong` …
            # `the DPP said`): the one person given every word of the phrase.
            return self._titled(words, before)
        wanted = _ROLE_SYNONYMS.get(head, frozenset({head}))
        people = [m for m in earlier if m.label == "PERSON"]
        countries = {c for w in modifiers if (c := _country_of(w))}
        # An organization's name in the role (`the Chega leader`, `the Labour leader`) says
        # whose it is: the leader of another party is not that one, even with no modifier
        # asked for. (A place's is not: `the South African archbishop` is Archbishop Tutu.)
        org_modifiers = [
            w.casefold()
            for w in np.split()[:-1]
            if w[:1].isupper()
            and w.casefold() not in _ROLE_NOUNS | _LESSER | _TITLE_ADJECTIVES
            and _country_of(w) is None
            and w.casefold() in self._org_name_words()
        ]
        for need_modifiers in (True, False):
            fits = [
                m
                for m in people
                if wanted & self.titles.get(m.entity_id, set())
                and all(_title_has(self.titles[m.entity_id], w) for w in (modifiers if need_modifiers else org_modifiers))
                and not (_LESSER & self.titles[m.entity_id]) - set(modifiers)
                # `the Polish prime minister` is not the Hungarian one.
                and not (countries and {_country_of(w) for w in self.titles[m.entity_id]} - {None} - countries)
            ]
            if fits:
                break
        if not fits:
            if self.lede and wanted & self.lede[1]:
                return self.lede[0]  # named after the lede that gave the role
            # A role the article gives nobody: the person the paragraph is about (`Paolo
            # Gentiloni … said rules applied to all. "…," the commissioner said`), unless the
            # role is someone's or was brought in unnamed (`A spokesman for Michael Howard
            # said … the spokesman said`): then no one.
            if owned:
                return None
            if self._brought_in_unnamed(wanted, 0, before):
                self.unnamed = True
                return None
            # Not someone the article describes otherwise (`Activist Licypriya
            # Kangujam … handed Emmanuel Macron a letter. "…," the president of France said`),
            # nor another country's (once the French president, not the British prime
            # minister); the role is theirs from then on.
            found = self.described(before, paragraphs=1, unfit=lambda m: self._holds_another(m, countries))
            if found is not None:
                self.titles.setdefault(found.entity_id, set()).update(words)
            return found
        if self._brought_in_unnamed(wanted, max(m.char_end for m in fits), before):
            # the role's last holder brought in is unnamed (`Basem Naim, a senior Hamas
            # official, …` then `An Egyptian official, speaking on condition of anonymity, said
            # … "…," the official said`): no one
            self.unnamed = True
            return None
        # One named in the quote's paragraph, else the first the article gives the role.
        paragraph = _paragraph_start(self.body, before)
        here = [m for m in fits if m.char_start >= paragraph]
        chosen_id = here[-1].entity_id if here else fits[0].entity_id
        return [m for m in fits if m.entity_id == chosen_id][-1]

    def _titled(self, words: list[str], before: int) -> Mention | None:
        """The one person named before `before` whose title words hold all of `words`."""
        fits = [
            m
            for m in self.mentions
            if m.label == "PERSON" and m.char_end <= before and set(words) <= self.titles.get(m.entity_id, set())
        ]
        return fits[-1] if fits and len({m.entity_id for m in fits}) == 1 else None

    def _brought_in_unnamed(self, nouns: frozenset[str], start: int, before: int) -> bool:
        """Whether a holder of a role (`nouns`) is brought in without a name between `start`
        and `before`, outside quotes: `An Egyptian official, speaking on condition of
        anonymity, said`, `A spokesman for Michael Howard said`, `The prime minister's
        official spokesman said`; not a name's appositive (`Basem Naim, a senior Hamas
        official,`) nor a role a name follows (`a spokesman, Ivan Petrov,`)."""
        words = "|".join(map(re.escape, sorted(nouns)))
        pattern = rf"\b(?:[Aa]n?|[Oo]ne|[Aa]nother|[A-Za-z.]+['’]s?)\s+(?:[\w-]+\s+){{0,3}}?(?:{words})s?\b"
        for m in re.finditer(pattern, self.body[start:before]):
            at, end = start + m.start(), start + m.end()
            if self.inside_quote(at):
                continue
            named = [
                x
                for x in self.mentions
                if x.label == "PERSON"
                # `Basem Naim, a senior Hamas official`, `Luís Montenegro, the alliance's leader`
                and (_APPOSED_ROLE.fullmatch(self.body, x.char_end, at) or 0 <= x.char_start - end <= 3)
            ]
            if not named:
                return True
        return False

    def _issuer(self, noun: str, before: int) -> Mention | None:
        """Who issued the statement an attribution names (`the statement said`): the subject of
        the last sentence before that mentions one (`The White House said in a statement`,
        `a statement from the Kremlin`, `In a filing to the exchange, Altavon said`)."""
        for m in reversed(list(re.finditer(rf"\b{noun}s?\b", self.body[:before], re.IGNORECASE))):
            pos = m.start()
            if by := re.match(r"\s+(?:from|by|of)\s+(?:the\s+)?", self.body[m.end() : m.end() + 12]):
                after = m.end() + by.end()
                found = [x for x in self.mentions if x.char_start == after and x.label in _SPEAKER_LABELS]
                if found:
                    return found[0]
            start = max(self.body.rfind(". ", 0, pos), self.body.rfind("\n", 0, pos)) + 1
            found = [
                x
                for x in self.mentions
                if start <= x.char_start
                and x.char_end <= pos
                and x.label in _SPEAKER_LABELS
                and not _after_preposition(self.body, x.char_start, start)
            ]
            if found:
                return found[-1]
            if not self.body[start:pos].strip(" \n").split()[2:]:
                # The document opens the sentence: its subject follows (`In a filing …, Altavon said`).
                end = self.body.find(". ", m.end())
                later = [
                    x
                    for x in self.mentions
                    if m.end() <= x.char_start
                    and (end == -1 or x.char_end <= end)
                    and x.label in _SPEAKER_LABELS
                    and not _after_preposition(self.body, x.char_start, m.end())
                ]
                if later:
                    return later[0]
        return None


_ORG_APPOSITION = re.compile(
    r",\s+(?:the|an?|its)\s+(?:[\w’'-]+\s+){0,3}?(?P<noun>[a-z]+)(?=\s*[,.;]|\s+(?:of|for|in|that|which)\s)"
)


def _org_apposition(body: str, m: Mention) -> str | None:
    """The organization noun set off after a name (`Ofwat, the industry regulator,` →
    `regulator`), or None."""
    found = _ORG_APPOSITION.match(body, m.char_end)
    return found.group("noun") if found and found.group("noun") in _ORG_NOUNS else None


def _describes_a_person(words: list[str]) -> bool:
    """Whether a noun phrase's head names a person by what they are, not by a title: `the
    analyst`, `the Spaniard`, `the Italian`, `the New York Democrat`, `the 30-year-old`."""
    head = words[-1].casefold()
    return (
        head in _PERSON_NOUNS
        or head in _NATIONALITY_NOUNS
        or head in _PARTY_NOUNS
        or bool(_AGE_NOUN.fullmatch(head))
        or bool(_PARENT_OF.fullmatch(head))
        or head.capitalize() in DEMONYMS
    )


def _country_of(word: str) -> str | None:
    """The country a title word names (`polish`, `poland`, `spaniard`), else None."""
    from transforms.places import lookup

    word = word.casefold()
    if word in _NATIONALITY_NOUNS:
        return _NATIONALITY_NOUNS[word]
    if (code := DEMONYMS.get(word.capitalize())) is not None:
        return code
    place = lookup(word.title()) if len(word) > 3 and word.isalpha() else None
    return place.country_code if place is not None and place.kind == "country" else None


def _title_has(titles: set[str], word: str) -> bool:
    """A title word, or a word for the same country (`polish` in `Poland's …`)."""
    return word in titles or ((c := _country_of(word)) is not None and any(_country_of(t) == c for t in titles))


def _role_between(body: str, start: int, end: int) -> bool:
    """Whether body[start:end] is only a role noun, with up to two lower-case words before it
    (` coach `, ` head coach `)."""
    words = body[start:end].split()
    return (
        0 < len(words) <= 3
        and body[start:end][:1].isspace()
        and body[start:end][-1:].isspace()
        and all(w.islower() and w.isalpha() for w in words)
        and words[-1] in _ROLE_NOUNS | _PERSON_NOUNS
    )


def _subject_of_sentence(body: str, people: list[Mention], sentence_starts: list[int], limit: int) -> Mention:
    """Of `people` (in order, the last the nearest), the first named in the sentence of the
    last one, not after a preposition: the sentence's subject (`Tokayev criticised …, without
    naming Nazarbayev` → Tokayev), else the last."""
    last = people[-1]
    i = bisect.bisect_right(sentence_starts, last.char_start) - 1
    start = max(limit, sentence_starts[i]) if i >= 0 else limit
    in_sentence = [
        m
        for m in people
        if m.char_start >= start
        and not _after_preposition(body, m.char_start, start)
        # a possessor is not the subject (`Hartley's MP, Nadia Brennan, has written`), but
        # the author of what it possesses is (`Mr Campbell's e-mail … suggested`)
        and not (_POSSESSOR.match(body, m.char_end) and not _WRITINGS.match(body, m.char_end))
        # a name right before a role and another person's name is the role's modifier, not
        # the subject (`Atletico Nacional coach Javier Gandolfi said`, the club tagged a person)
        and not any(x.char_start > m.char_end and _role_between(body, m.char_end, x.char_start) for x in people)
    ]
    if not in_sentence:
        return last
    # Only a subject before its verb: in `"…," said Le Drian, who accompanied Macron.` the
    # sentence opens with a quote and names no subject of its own before it.
    lead = body[start : in_sentence[0].char_start]
    return last if re.search('["“”]', lead) or _VERB.search(lead) else in_sentence[0]


_POSSESSOR = re.compile(r"['’]s?\s")
# What a person writes or says, after their possessive (`Mr Campbell's e-mail`).
_WRITINGS = re.compile(
    r"['’]s?\s+(?:[a-z]+\s+){0,2}?(?:e-mail|email|letter|message|memo|statement|speech|book|memoir|diary|blog|column|"
    r"article|tweet|post|note|text|interview|remarks|comments)\b"
)


def _spelled(word: str) -> str:
    return word.replace("defense", "defence")


def _org_words(m: Mention) -> str:
    """An organization's name and its text, for finding a noun and its modifiers in them."""
    return _spelled(f"{m.text} {m.canonical_name}".casefold())


def _title_words(body: str, m: Mention) -> set[str]:
    """The words of a person's title: before the name (`Russian Foreign Minister`, `Kremlin
    spokesman`) and in an appositive after it (`, NATO's secretary general,`)."""
    words: set[str] = set()
    lead = body[max(0, m.char_start - 80) : m.char_start]
    tokens = _TITLE_WORD.findall(re.split(r"[.;:!?,“”\"()\n]\s", lead)[-1]) if lead else []
    if tokens and tokens[-1].casefold() in ("for", "to", "with", "by"):
        tokens = []  # `a spokesman for Michael Howard`: the role is someone else's
    if not tokens and (np := _TITLE_BEFORE_COMMA.search(lead)):
        # `The chancellor, Rishi Sunak,`, `Its chairman, Moussa Faki Mahamat,`: the noun phrase
        # before the comma is the title when it holds a role, or whatever it is when the name
        # is set off after it (`the ward matron, Julie Barr.` … `the matron told the court`).
        title = [t.casefold().replace("’s", "").replace("'s", "") for t in _TITLE_WORD.findall(np.group("np"))]
        if any(t in _ROLE_NOUNS for t in title) or body[m.char_end : m.char_end + 1] in (",", ".", ";"):
            words.update(title)
    run: list[str] = []  # the title's words in order, for its initials
    for token in reversed(tokens):
        lower = token.casefold().rstrip(".")
        if token[:1].isupper() or lower in _ROLE_NOUNS or lower in _TITLE_GLUE or lower in _LESSER or lower in _TITLE_ADJECTIVES:
            words.update(lower.replace("’s", "").replace("'s", "").split("-") + [lower])
            run.insert(0, token)
        else:
            break
    capitals = [t for t in run if t[:1].isupper() and t.casefold() not in _TITLE_GLUE]
    if len(capitals) >= 2:
        words.add("".join(t[0] for t in capitals).casefold())  # `Deputy Public Prosecutor` is `the DPP`
    if app := _APPOSITIVE.match(body, m.char_end):
        title = [t.casefold().replace("’s", "").replace("'s", "") for t in _TITLE_WORD.findall(app.group("title"))]
        if any(t in _ROLE_NOUNS for t in title):
            words.update(title)
    # `Chief Financial Officer James Kehoe` is `the CFO`, and `CEO Lisa Su` is `the executive`.
    words.update(acronym for acronym, full in _ROLE_ACRONYMS.items() if words.issuperset(full))
    for acronym in words & _ROLE_ACRONYMS.keys():
        words.update(_ROLE_ACRONYMS[acronym])
    return words


# --- finding quoted spans ---------------------------------------------------------------


def find_quoted(body: str) -> list[_Quoted]:
    """Quoted spans of `body`, in order."""
    out: list[_Quoted] = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", body):
        out.extend(_quoted_in_paragraph(body, m.start(), m.end()))
    return out


# The characters `_mark_kind` may call a quote mark.
_MARK = re.compile("[“”\"‘’'«»]")
_SINGLE = re.compile("['’]")


def _mark_kind(text: str, i: int) -> str | None:  # noqa: C901
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "“«":  # « » in copy translated from Arabic or French (a Gulf or wire outlet)
        return "open"
    if ch in "”»":
        return "close"
    if ch == '"':
        if before.isspace() and after.isspace():
            return None  # a stray mark
        if before in "'’" and (after.isspace() or after in ".,;:!?)]}—–-"):
            return "close"  # `'Then stop explaining it,'" said X`: a nested quote ends with the outer one
        if before.isspace() or before in "([{—–-/\"“'‘":
            return "open"
        if after.isspace() or after in ".,;:!?)]}—–-\"”'’":
            return "close"
        return "either"
    if ch == "‘" and (before.isspace() or before in '([{—–-"“'):
        return "single_open"
    if ch in "’'":
        if before.isspace() and after.isalpha():
            return "single_open"
        if not before.isspace() and not after.isalnum():
            return "single_close"
    return None


def _quoted_in_paragraph(text: str, start: int, end: int) -> list[_Quoted]:  # noqa: C901
    out: list[_Quoted] = []
    open_at: int | None = None
    single_open: int | None = None
    last_mark = -2
    for mark in _MARK.finditer(text, start, end):  # `_mark_kind` is None for any other character
        i = mark.start()
        kind = _mark_kind(text, i)
        if kind is None:
            continue
        if kind == "either":
            kind = "close" if open_at is not None else "open"
        if kind == "open":
            if open_at is not None and i == last_mark + 1:
                open_at = i  # `""dangerous`: one opener typed twice
            else:
                if open_at is not None:
                    closer = _single_closer(text, open_at + 1, i)
                    if closer is not None:
                        out.append(_make(text, open_at, closer))
                open_at = i
            single_open = None
        elif kind == "close":
            if open_at is not None:
                if i > open_at + 1:
                    out.append(_make(text, open_at, i))
                open_at = None
            elif single_open is not None:
                out.append(_make(text, single_open, i))  # `'declined to attend."`
                single_open = None
        elif kind == "single_open" and open_at is None:
            single_open = i
        elif kind == "single_close" and open_at is None and single_open is not None:
            if i > single_open + 1:
                out.append(_make(text, single_open, i))
            single_open = None
        last_mark = i
    if open_at is not None:
        closer = _single_closer(text, open_at + 1, end)
        if closer is not None:
            out.append(_make(text, open_at, closer))
        elif end > open_at + 1 and re.match(r"\s*\n\s*\n\s*[\"“]", text[end : end + 8]):
            # a quote that runs on into the next paragraph, which reopens it
            q = _make(text, open_at, end)
            out.append(_Quoted(q.open_pos, end, q.start, q.end, runs_on=True))
    return [q for q in out if q.end > q.start]


def _single_closer(text: str, start: int, end: int) -> int | None:
    """A single mark closing a double-quoted passage (`"psychological pressure'`)."""
    for mark in _SINGLE.finditer(text, start, end):
        i = mark.start()
        if _mark_kind(text, i) == "single_close" and (i + 1 >= len(text) or not text[i + 1].isalpha()):
            if text[i - 1] == "s" and i + 1 < len(text) and text[i + 1] == " " and _looks_possessive(text, i):
                continue
            return i
    return None


def _looks_possessive(text: str, i: int) -> bool:
    """`the Baltic states' borders`: a plural possessive, not a closing mark."""
    nxt = re.match(r"\s+([a-z]+)", text[i + 1 : i + 30])
    return nxt is not None and nxt.group(1) not in (
        "and",
        "while",
        "but",
        "or",
        "as",
        "he",
        "she",
        "it",
        "they",
        "said",
        "the",
        "a",
    )


def _make(text: str, open_pos: int, close_pos: int) -> _Quoted:
    start, end = open_pos + 1, close_pos
    while start < end and (text[start].isspace() or text[start] in "\"“'‘"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return _Quoted(open_pos, close_pos, start, end)


class _InsideMention:
    """Whether [a, b) lies inside one of the mentions: a bisect over their starts and a
    running maximum of their ends, not a pass over every mention for every quote (a 400 KB
    page: 3.7 million comparisons, 0.5 of its 0.6 CPU-s of quotes; bench/long_article.py)."""

    def __init__(self, mentions: list[Mention]) -> None:
        ordered = sorted((m.char_start, m.char_end) for m in mentions)
        self.starts = [a for a, _ in ordered]
        self.max_end = list(itertools.accumulate((b for _, b in ordered), max))

    def __call__(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, a)
        return i > 0 and self.max_end[i - 1] >= b


def _is_name(body: str, q: _Quoted, within: _InsideMention) -> bool:
    """`“Allied Resolve”`: a quoted name, not a quotation."""
    inner = body[q.start : q.end]
    if within(q.start, q.end):
        return True
    words = inner.split()
    return 1 <= len(words) <= 4 and bool(_NAME_LIKE.match(inner)) and not re.search(r"[.!?]$", inner) and len(words) > 1


# --- attribution ----------------------------------------------------------------------


def _sentence_range(sentences: list[tuple[int, int]], q: _Quoted, length: int) -> tuple[int, int]:
    """From the start of the sentence that opens the quote to the end of the one that
    closes it; a quote running on into the next paragraph takes that paragraph's first
    sentence too (where its attribution usually is)."""
    s0 = next((s for s, e in reversed(sentences) if s <= q.open_pos), 0)
    s1 = next((e for s, e in sentences if s <= q.close_pos < e), None)
    if s1 is None:
        s1 = next((e for s, e in sentences if s > q.close_pos), length)
    return s0, min(length, max(s1, q.close_pos + 1))


def _masked(body: str, quoted: list[_Quoted]) -> str:
    """`body` with every quoted passage, marks included, blanked (verbs inside quotes are
    the speaker's words, not the attribution). Once per article, in time linear in its
    length: a sentence's frame is a slice of it."""
    depth = [0] * (len(body) + 1)  # +1 where a passage opens, -1 after it closes
    for q in quoted:
        if q.open_pos <= q.close_pos:
            depth[q.open_pos] += 1
            depth[min(q.close_pos + 1, len(body))] -= 1
    chars, inside = list(body), 0
    for i in range(len(body)):
        inside += depth[i]
        if inside:
            chars[i] = " "
    return "".join(chars)


def _attribute(
    body: str,
    q: _Quoted,
    quoted: list[_Quoted],
    s0: int,
    s1: int,
    frame: str,
    verbs: list[tuple[int, int, str]],
    mentions: list[Mention],
    roles: _Roles,
) -> tuple[str | None, Mention | None, str | None] | None:
    """The speaker of `q`. `frame`: body[s0:s1] with the quoted passages blanked;
    `verbs`: the speech verbs in it, as (start, end, verb) over `body`."""
    # `verbs` are in order and do not overlap: those after the quote are a suffix, those
    # before it a prefix (bisect: one sentence can hold thousands of quotes).
    after = verbs[bisect.bisect_right(verbs, q.close_pos, key=_verb_start) :]
    before = verbs[: bisect.bisect_right(verbs, q.open_pos, key=_verb_end)]
    # 1. Right after the quote: `"…," Putin said`.
    if after:
        v = after[0]
        gap = frame[q.close_pos + 1 - s0 : v[0] - s0]
        ends_open = body[q.end : q.close_pos + 2].strip().startswith((",", "?", "!")) or body[q.end : q.end + 1] == ","
        if (ends_open or body[q.end - 1 : q.end] in "?!") and len(gap.split()) <= 8 and not re.search(r"[.;]", gap):
            found = _speaker(body, v, verbs, q.close_pos + 1, mentions, s0, frame, roles, q.open_pos)
            if not (v[2] == "according to" and found[1] is None and before):
                return found
            # `he told colleagues that "…," according to two people who were present`: the
            # unnamed who relay it are not the speaker, the subject of the verb before is
    # 2. A verb before the quote.
    if before:
        return _speaker(body, before[-1], verbs, _window_start(quoted, before[-1], s0), mentions, s0, frame, roles, q.open_pos)
    # 3. A colon introduction.
    lead = body[s0 : q.open_pos].rstrip()
    if lead.endswith(":"):
        colon = s0 + len(lead) - 1
        cands = [m for m in mentions if s0 <= m.char_start and m.char_end <= colon and m.label in _SPEAKER_LABELS]
        people = [m for m in cands if m.label == "PERSON"]
        chosen = (people or cands)[-1] if cands else None
        if chosen is None and (pm := _SUBJECT_PRONOUN.match(body, s0, colon)):
            # `On the abuse she received, she was blunt: "…"`: the pronoun's person
            outside = [m for m in mentions if not roles.inside_quote(m.char_start)]
            chosen = _antecedent(body, outside, pm.start("pronoun"), pm.group("pronoun").lower(), roles.sentence_starts)
            return (pm.group("pronoun"), chosen, None) if chosen else None
        if chosen is None and (pm := _POSSESSIVE_SUBJECT.match(body, s0, colon)):
            # `His message to the minister was simple: "…"`: his words, so his
            outside = [m for m in mentions if not roles.inside_quote(m.char_start)]
            pronoun = "he" if pm.group("pronoun").lower() == "his" else "she"
            chosen = _antecedent(body, outside, pm.start("pronoun"), pronoun, roles.sentence_starts)
            return (pronoun, chosen, None) if chosen else None
        return (chosen.text if chosen else None, chosen, None) if chosen else None
    # 4. A verb later in the sentence.
    if after:
        return _speaker(body, after[0], verbs, q.close_pos + 1, mentions, s0, frame, roles, q.open_pos)
    return None


def _window_start(quoted: list[_Quoted], verb: tuple[int, int, str], s0: int) -> int:
    """Where a verb's subject may start: the sentence, or the end of a quote before it."""
    ends = [q.close_pos + 1 for q in quoted if q.close_pos < verb[0] and q.close_pos >= s0]
    return max(ends) if ends else s0


def _speaker(  # noqa: C901
    body: str,
    verb: tuple[int, int, str],
    verbs: list[tuple[int, int, str]],
    window_start: int,
    mentions: list[Mention],
    s0: int,
    frame: str,
    roles: _Roles,
    quote_at: int,
) -> tuple[str | None, Mention | None, str | None]:
    shown_verb = None if verb[2] == "according to" else verb[2]
    # A participle or a second verb: the subject of the verb before it (`said, adding`), and
    # so on down a chain of them (`said, adding …, saying`): a loop, not a recursion, so that
    # a long chain cannot exhaust the stack. The verb shown stays the one the quote has.
    while True:
        vstart, vend, word = verb
        if word == "according to":
            m = _after_verb(body, vend, mentions)
            if m is None and (rm := _ROLE_AFTER_ACCORDING.match(body, vend)) and _is_role_np(mentions, rm):
                # `According to the Belarusian leader, …`
                found = roles.resolve(rm.group("np"), min(quote_at, rm.start()))
                return body[rm.start("np") - 4 : rm.end("np")].strip(), found, shown_verb
            return (m.text if m else None, m, shown_verb)
        # `verbs` are in order and do not overlap: those ending by `vstart` are a prefix.
        n_earlier = bisect.bisect_right(verbs, vstart, key=_verb_end)
        previous = verbs[n_earlier - 1] if n_earlier else None
        gap_before = body[previous[1] : vstart] if previous else ""
        if not (
            word in _PARTICIPLES
            or (previous and re.match(r"^[^.;]*\band\s*$", gap_before) and not _has_mention(mentions, previous[1], vstart))
        ):
            break
        if previous:
            verb, window_start = previous, _start_of(previous, verbs, s0)
            continue
        first = [m for m in mentions if s0 <= m.char_start < vstart and m.label in _SPEAKER_LABELS]
        # not a possessor (`China's ambassador, Fu Cong, abstained, saying`: the ambassador)
        first = [m for m in first if not _POSSESSOR.match(body, m.char_end) or _WRITINGS.match(body, m.char_end)]
        if first and not _after_preposition(body, first[0].char_start, s0):
            return first[0].text, first[0], shown_verb
        break
    if word == "quoted" and (said := _QUOTED_AS_SAYING.match(body, vend)):
        # `Arab News quoted Prince Saud as saying`: the one quoted, not the paper
        inside = [m for m in mentions if vend <= m.char_start and m.char_end <= said.start("as") and m.label in _SPEAKER_LABELS]
        people = [m for m in inside if m.label == "PERSON"] or inside
        return (people[-1].text, people[-1], shown_verb) if people else (None, None, shown_verb)
    # A pronoun right before the verb.
    lo = max(window_start, vstart - 30)
    if pm := _PRONOUN_BEFORE.search(body[lo:vstart]):
        # Names inside quotes are the speaker's words, not who speaks (`"Putin lies," he said`).
        outside = [m for m in mentions if not roles.inside_quote(m.char_start)]
        found = _antecedent(body, outside, lo + pm.start(1), pm.group(1).lower(), roles.sentence_starts)
        if (
            found is not None
            and pm.group(1).lower() != "it"
            and _unnamed_source_between(body, found.char_end, lo + pm.start(1), roles.quoted)
        ):
            # `"…," a senior official said. "…," he added.`: he is that official, whom the
            # article does not name, not the person named before him.
            found = None
        if found is not None and pm.group(1).lower() in ("he", "she"):
            start = max(found.char_end, _paragraph_start(body, _paragraph_start(body, lo) - 2))
            unknown = _speaker_the_model_missed_between(body, start, lo + pm.start(1), mentions, roles)
            quoted_last = [(at, name) for at, name in roles.unknown_speakers if found.char_end < at]
            if quoted_last and not any(quoted_last[-1][0] < at for at, _ in roles.spoken):
                unknown = quoted_last[-1][1]  # and he goes on speaking
            if unknown:
                # `Iggy Fanlo, chief revenue officer at Shopping.com, said …` (no entity there)
                # `"…," he said.`: he is the one who spoke last, not a person named before
                return unknown, None, shown_verb
        if pm.group(1).lower() == "it" and (doc := _document_subject_before(body, lo + pm.start(1), roles)):
            # `The indictment, unsealed last year, alleged … "…," it said.`: the document, so
            # its issuer (`the statement`), not the last organization or place named
            # (or an organization named in its sentence: `The report, published by the UN, …`)
            i = bisect.bisect_right(roles.sentence_starts, lo + pm.start(1)) - 1
            within = found is not None and found.char_start >= roles.sentence_starts[i - 1]
            found = roles.resolve(doc, lo + pm.start(1)) or (found if within else None)
        return pm.group(1), found, shown_verb
    # A role or an organization by its noun: `the president said`, `the ministry said`.
    # (A place, nationality or organization in it is a modifier: `the US president`, `the
    # Kremlin spokesman`; a person's name, or a name ending it, is the subject itself.)
    rm = _ROLE_BEFORE.search(body, window_start, vstart)
    if rm and _after_preposition(body, rm.start(), window_start):
        rm = None  # `The Conservative group on the council said`: the council is not the subject
    if rm and _describes_a_person(rm.group("np").split()) and not _names_a_person(mentions, rm):
        # `the Spaniard said`, `the New York Democrat said`, `the 30-year-old told`
        found = roles.described(min(quote_at, rm.start()))
        return body[rm.start() : rm.end("np")].strip(), found, shown_verb
    if rm and _is_role_np(mentions, rm):
        if (found := roles.resolve(rm.group("np"), min(quote_at, rm.start()))) is not None:
            return body[rm.start() : rm.end("np")].strip(), found, shown_verb
        head = rm.group("np").split()[-1].casefold()
        if head in _ORG_NOUNS and (
            spoke := [text for at, text in roles.untagged_bodies if at < quote_at and text.split()[-1].casefold() == head]
        ):
            # `Russia's foreign ministry said …. "…," the ministry said`: the body that spoke
            # before by that noun, which the model did not tag (so `resolve` cannot find it)
            return spoke[-1], None, shown_verb
        if head in _ROLE_NOUNS:
            # A role nobody in the article holds: no speaker, rather than the place in it
            # (`the US president said` → not the United States); one brought in unnamed
            # is an unnamed source (no speaker, not even as written).
            return (None if roles.unnamed else body[rm.start() : rm.end("np")].strip()), None, shown_verb
        np_words = rm.group("np").split()
        if (
            len(np_words) >= 2
            and np_words[-1].casefold() in _ORG_NOUNS - _ANY_ORG_NOUNS  # not `the writer and broadcaster`
            and "and" not in np_words
            and not _has_mention(mentions, rm.start(), rm.end("np"))
        ):
            # A body named by what it is that the model did not tag (`The interior ministry
            # said in a statement`): the speaker as written, as `Russia's defence ministry`
            # is (a bare `the company` with none named before stays no one), without its
            # `the`: the quotes mart drops a `the …` as written, which is a role's
            # (`the president`) it could not resolve
            return rm.group("np").strip(), None, shown_verb
    # A role of a place or body after it: `the Democratic senator from Connecticut said`, `the
    # prime minister of India said` (the place a modifier, as in `India's prime minister`).
    if (rm := _ROLE_OF_BEFORE.search(body, window_start, vstart)) and rm.group("np").split()[-1].casefold() in _ROLE_NOUNS:
        of = [w for w in rm.group("of").split() if w.casefold() != "the"]
        found = roles.resolve(" ".join([*of, rm.group("np")]), min(quote_at, rm.start()))
        return body[rm.start() : rm.end("of")].strip(), found, shown_verb
    # A document of an organization by its noun: `The alliance's statement said` → NATO.
    if (om := _ORG_NOUN_DOCUMENT_BEFORE.search(body, window_start, vstart)) and om.group("owner").casefold() in _ORG_NOUNS:
        found = roles.resolve(om.group("owner"), min(quote_at, om.start()))
        return body[om.start() : om.end("doc")].strip(), found, shown_verb
    # A role or an organization of a place or person: `Russia's defence ministry said`,
    # `Ukraine's president said`, `Putin's spokesman said`: who holds it in the article,
    # else no speaker, never the place or person it belongs to.
    if (rm := _POSSESSIVE_ROLE_BEFORE.search(body, window_start, vstart)) and _is_role_np(mentions, rm):
        head = rm.group("np").split()[-1].casefold()
        owner = [m for m in mentions if m.char_end <= rm.start("np") and rm.start() <= m.char_start]
        if head in _DOCUMENT_NOUNS and owner and owner[-1].label in ("ORG", "FAC", "PERSON"):
            # `the UN Environment Programme's report said`: the organization (or person) that wrote it
            return body[rm.start() : rm.end("np")].strip(), owner[-1], shown_verb
        if head in _ROLE_NOUNS or head in _ORG_NOUNS or head in _DOCUMENT_NOUNS:
            found = roles.resolve(rm.group("np"), min(quote_at, rm.start()), owned=True)
            return body[rm.start() : rm.end("np")].strip(), found, shown_verb
    if (
        (u := _UNNAMED_SOURCE.search(body, window_start, vend))
        and u.end() == vend
        and not _has_mention(mentions, u.start(), vstart)
    ):
        # An unnamed source is no one named before (`Speaking ahead of the Army Board meeting,
        # a spokesman said`), except an organization's voice by its noun (`A company
        # spokesperson added` → the company).
        words = [w.casefold() for w in body[u.start() : vstart].split()]
        noun = next((w for w in words[1:] if w in _ORG_NOUNS), None)
        found = None
        if noun and _SPOKES & set(words):
            found = roles.resolve(noun, min(quote_at, u.start()))
            if found is not None and found.char_start < _paragraph_start(body, min(quote_at, u.start())):
                found = None  # only one named in the paragraph: the company may be one the model missed
        elif _SPOKES & set(words) and (spoken_for := _ORG_BEFORE_SPOKES.match(body, u.start(), vstart)):
            # `an Aemet spokesperson said`: the organization the article names so elsewhere,
            # though the model did not tag it here
            name = spoken_for.group("org").casefold()
            found = next(
                (
                    m
                    for m in reversed(mentions)
                    if m.char_end <= u.start()
                    and m.label in ("ORG", "FAC")
                    and name in (m.text.casefold(), m.canonical_name.casefold())
                ),
                None,
            )
        return (body[u.start() : vstart].strip() if found else None), found, shown_verb
    m = _subject_before(body, vstart, window_start, mentions)
    if m is None and _BETWEEN_SUBJECT_AND_VERB.match(body[window_start:vstart]):
        m = _after_verb(body, vend, mentions)  # `"…," said X`
        if m is None and (rm := _ROLE_AFTER.match(body, vend)):  # `"…," said the minister`
            if _describes_a_person(rm.group("np").split()) and not _names_a_person(mentions, rm):
                return body[rm.start("np") - 4 : rm.end("np")].strip(), roles.described(quote_at), shown_verb
            if _is_role_np(mentions, rm):
                if (found := roles.resolve(rm.group("np"), min(quote_at, rm.start()))) is not None:
                    return body[rm.start() : rm.end("np")].strip(), found, shown_verb
    if (m is None or body[m.char_end : vstart].strip()) and (person := _surname_before(body, window_start, vstart, mentions)):
        # also over a subject further back (`Asked by counsel, Simon Oduya KC, whether …, Trent
        # replied:`): the surname right before the verb is whose verb it is
        return person.text, person, shown_verb
    if (m is None or m.label != "PERSON") and (missed := _name_the_model_missed(body, window_start, vstart, vend, mentions)):
        # also over an organization in its title (`City boss Pep Guardiola said`)
        if m is None or missed[1] <= m.char_start:
            return missed[0], None, shown_verb
    return (m.text if m else None, m, shown_verb)


# A person's name right before the verb, after a title or an honorific, or opening with a
# known first name: `Chief Executive Rosalind Brewer told analysts`.
_NAME_BEFORE_VERB = re.compile(
    r"(?:^|(?<=[\s,(]))(?P<title>(?:[A-Za-z][A-Za-z.-]+\s+){0,3})"
    r"(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2})\s+(?:(?:also|later|then|again|has|had|have)\s+)*$"
)


def _surname_before(body: str, window_start: int, vstart: int, mentions: list[Mention]) -> Mention | None:
    """A surname right before the verb that the model did not tag, of a person named in full
    before (`BJP spokesperson Sambit Patra` … `Patra said`): that person."""
    found = re.search(r"(?:^|(?<=[\s,]))(?:Mr|Mrs|Ms|Dr)?\.?\s*([A-Z][a-z’'-]+)\s+$", body[window_start:vstart])
    if found is None:
        return None
    word = found.group(1)
    people = [
        m
        for m in mentions
        if m.label == "PERSON" and m.char_end <= window_start + found.start(1) and len(m.text.split()) >= 2
        # `Sisi` of Abdel Fattah al-Sisi: the surname without its article
        if word in (m.text.split()[-1], re.sub(r"^[a-z]{1,3}-", "", m.text.split()[-1]))
    ]
    return people[-1] if people and len({p.entity_id for p in people}) == 1 else None


_NAME_AFTER_VERB = re.compile(
    r"\s+(?P<title>(?:[A-Z][A-Za-z.-]+\s+){0,3})(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2})(?=\s*(?:[,.;]|$))"
)


def _name_the_model_missed(
    body: str, window_start: int, vstart: int, vend: int, mentions: list[Mention]
) -> tuple[str, int] | None:
    """A person's name as written right before the verb (or right after it, inverted: `said
    Chief Executive Rosalind Brewer.`) that the model found no entity in (`Chief Executive
    Rosalind Brewer told analysts`): the speaker as written, no entity; (name, where its
    title starts)."""
    found = _NAME_BEFORE_VERB.search(body, max(window_start, vstart - 80), vstart)
    if found is None and _BETWEEN_SUBJECT_AND_VERB.match(body[window_start:vstart]):
        found = _NAME_AFTER_VERB.match(body, vend)
        surname = _SURNAME_AFTER_VERB.match(body, vend)
        if surname and (found is None or surname.group("honorific")):
            return _full_name_before(body, surname, mentions)
    if found is None or any(
        found.start("name") < m.char_end and m.char_start < found.end("name") and m.label in _SPEAKER_LABELS | {"NORP"}
        for m in mentions
    ):
        return None  # (a name the model called a work or a product is still missed: `Chair Jerome Powell`)
    name, title = found.group("name"), found.group("title").split()
    titled = any(t.casefold().rstrip(".") in _ROLE_NOUNS or _PERSON_TITLE_BEFORE.search(t + " ") for t in title)
    return (name, found.start()) if titled or name.split()[0].casefold() in _FIRST_NAMES else None


_SURNAME_AFTER_VERB = re.compile(r"\s+(?P<honorific>(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?(?P<name>[A-Z][a-z’'-]{2,})(?=\s*(?:[,.;]|$))")


def _full_name_before(body: str, surname: re.Match, mentions: list[Mention]) -> tuple[str, int] | None:
    """`… said Papadoyiannakis.` with no entity: the person the article named in full
    before (`Yiannis Papadoyiannakis, who was head of …`), as written, when the model found
    no entity in either; a surname after an honorific as written (`said Mr Gaymard.`)."""
    word = surname.group("name")
    if any(surname.start("name") < m.char_end and m.char_start < surname.end("name") for m in mentions):
        return None
    pattern = re.compile(rf"\b((?:[A-Z][\w’'-]+\s+){{1,2}}){re.escape(word)}\b")
    for full in reversed(list(pattern.finditer(body, 0, surname.start()))):
        given = full.group(1).split()[0]
        overlapping = [m for m in mentions if full.start() < m.char_end and m.char_start < full.end()]
        if overlapping and not (surname.group("honorific") and overlapping[0].text == full.group()):
            continue  # (a full name the model called something else is still theirs after `Mr`)
        if given.casefold() in _FIRST_NAMES or given.casefold() not in english_words():
            return " ".join(full.group().split()), surname.start("name")
    if surname.group("honorific"):
        return " ".join(surname.group().split()), surname.start("honorific")  # `said Mr Gaymard.`, as written
    return None


_SPOKES = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})
_NAME_AS_WRITTEN = re.compile(r"[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2}")
# A sentence opening with a name, an appositive perhaps, and a speech verb.
_NAME_SPEAKS = re.compile(
    r"\s*(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2})(?:,[^,\"“”;]{1,80},)?\s+(?:also\s+)?(?:"
    + "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True))
    + r")\b"
)


def _speaker_the_model_missed_between(body: str, start: int, end: int, mentions: list[Mention], roles: _Roles) -> str | None:
    """The last name between `start` and `end` that opens a sentence as the subject of a
    speech verb, outside quotes, that the model found no entity in and that looks like a
    person's (a known first name, or no English word): as written."""
    i = bisect.bisect_right(roles.sentence_starts, start)
    found = None
    for s0 in roles.sentence_starts[i:]:
        if s0 >= end:
            break
        m = _NAME_SPEAKS.match(body, s0, end)
        if m is None or roles.inside_quote(s0):
            continue
        if any(m.start("name") < x.char_end and x.char_start < m.end("name") for x in mentions):
            continue
        first = m.group("name").split()[0].casefold()
        if first in _FIRST_NAMES or first not in english_words():
            found = m.group("name")
    return found


_QUOTED_AS_SAYING = re.compile(r"[^.;:\"“”]{1,80}?(?P<as>\s+as\s+(?:saying|having\s+said)\b)")


def _document_subject_before(body: str, pos: int, roles: _Roles) -> str | None:
    """The document noun that is the subject of the sentence before `pos` (`The indictment,
    unsealed last year, alleged …`), else None."""
    i = bisect.bisect_right(roles.sentence_starts, pos) - 1
    if i < 1:
        return None
    found = _DOCUMENT_SUBJECT.match(body, roles.sentence_starts[i - 1], roles.sentence_starts[i])
    return found.group("noun").casefold() if found else None


_DOCUMENT_SUBJECT = re.compile(
    r"\s*(?:The|A|An|Its|Their|His|Her)\s+(?:[\w-]+\s+){0,3}?(?P<noun>"
    + "|".join(sorted(_DOCUMENT_NOUNS, key=len, reverse=True))
    + r")\b(?!\s+(?:from|by|of)\b)",
    re.IGNORECASE,
)


def _verb_start(verb: tuple[int, int, str]) -> int:
    return verb[0]


def _verb_end(verb: tuple[int, int, str]) -> int:
    return verb[1]


def _start_of(verb: tuple[int, int, str], verbs: list[tuple[int, int, str]], s0: int) -> int:
    n_earlier = bisect.bisect_right(verbs, verb[0], key=_verb_end)
    return verbs[n_earlier - 1][1] if n_earlier else s0


def _has_mention(mentions: list[Mention], start: int, end: int) -> bool:
    return any(start <= m.char_start and m.char_end <= end and m.label in _SPEAKER_LABELS for m in mentions)


def _names_a_person(mentions: list[Mention], rm: re.Match) -> bool:
    """Whether a person's name stands in `the …` (`the 19-year-old Alcaraz`)."""
    start, end = rm.start("np"), rm.end("np")
    return any(m.label == "PERSON" and start <= m.char_start < end for m in mentions)


def _is_role_np(mentions: list[Mention], rm: re.Match) -> bool:
    """Whether `the …` before or after a verb names a role (`the president`, `the Kremlin
    spokesman`, `the CFO` the model tagged ORG) rather than an entity (`the Pentagon`, `the
    Premier League`, a person). A name before a role noun is its modifier (`the Spurs
    captain`, `the Trump adviser`), even one the model calls a person."""
    start, end = rm.start("np"), rm.end("np")
    inside = [m for m in mentions if start <= m.char_start and m.char_end <= end + 1]
    inside = [m for m in inside if m.text.casefold() not in _ROLE_ACRONYMS]
    head = rm.group("np").split()[-1].casefold()
    if head in _ROLE_NOUNS or head in _ORG_NOUNS or head in _DOCUMENT_NOUNS:
        return not any(m.char_end >= end for m in inside)
    return not any(m.label == "PERSON" or m.char_end >= end for m in inside)


# Titles written as their initials, and the words of the title in full.
_ROLE_ACRONYMS = {
    "ceo": ("chief", "executive"),
    "cfo": ("chief", "financial"),
    "coo": ("chief", "operating"),
    "cto": ("chief", "technology"),
}


# What may stand between a subject and its verb: `the ministry on Tuesday accused`.
_BEFORE_VERB = (
    r"(?:also|later|then|again|has|had|have|in\s+a\s+statement|earlier|yesterday|today|"
    r"on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|last\s+week|this\s+week)"
)


# `the president`, `the Russian minister`, `the head of state` right before the verb (after
# a quote, or opening the sentence), and right after it (`said the minister`). Only with
# `the`: `a senior official` is an unnamed source, no one named before.
_ROLE_BEFORE = re.compile(
    r"(?:^|(?<=[\s,]))[Tt]he\s+(?P<np>(?:[A-Za-z.’'-]+\s+){0,3}?[\w.’'-]+)"
    r"(?:,\s*\d{1,3},)?"  # `The pensioner, 71, told`
    r"\s+(?:" + _BEFORE_VERB + r"\s+)*$"
)
_ROLE_OF_BEFORE = re.compile(
    r"(?:^|(?<=[\s,]))[Tt]he\s+(?P<np>(?:[A-Za-z.’'-]+\s+){0,2}?[a-z][\w.’'-]*)\s+(?:of|from|for)\s+"
    r"(?P<of>(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})"
    r"\s+(?:" + _BEFORE_VERB + r"\s+)*$"
)
_POSSESSIVE_ROLE_BEFORE = re.compile(
    r"(?:^|(?<=[\s,]))(?:[Tt]he\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*['’]s?\s+"
    r"(?P<np>(?:[A-Za-z.’'-]+\s+){0,3}?[A-Za-z.’'-]+)"
    r"\s+(?:" + _BEFORE_VERB + r"\s+)*$"
)
# An unnamed source as the subject of a speech verb: `a senior official said`, `one
# diplomat told`, `a spokeswoman for the ministry said`.
_UNNAMED_SOURCE = re.compile(
    r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:official|source|diplomat|aide|spokesman|spokeswoman|spokesperson|officer|adviser|advisor|analyst|expert|"
    r"resident|witness|lawmaker|politician|person|man|woman|soldier|commander|representative|insider|executive|"
    # anyone described by what they are (`a mother of three`, `a nurse`, `one teenager`)
    + "|".join(
        sorted(_PERSON_NOUNS - {"back", "lock", "prop", "guard", "centre", "star", "icon", "legend"}, key=len, reverse=True)
    )
    + r")\b(?:\s+(?:for|from|of|at|in|with)\s+(?:the\s+)?[\w-]+(?:\s+[A-Z][\w-]*)*)?"
    # a clause that keeps them unnamed (`who did not want to be named`, `who asked not to be identified`)
    r"(?:,[^,]{0,60},|\s+who\s+[^,.;:\"“”]{0,50}?\b(?:named|identified|anonymity|anonymous)\b)?"
    r"\s+(?:" + "|".join(sorted(ATTRIBUTION_VERBS, key=len, reverse=True)) + r")\b"
)


def _unnamed_source_between(body: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    """Whether an unnamed source speaks between `start` and `end`, outside the quotes (a
    pronoun after it is that source, not the person named before)."""
    return any(not any(a < m.start() < b for a, b in quoted) for m in _UNNAMED_SOURCE.finditer(body, start, end))


# `an Aemet spokesperson`, `a Tesco spokeswoman`: the organization's name before the noun.
_ORG_BEFORE_SPOKES = re.compile(
    r"(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?P<org>[A-Z][\w&’'.-]*(?:\s+[A-Z][\w&’'.-]*){0,3})\s+(?:spokesman|spokeswoman|spokesperson)\b"
)
_ROLE_AFTER_ACCORDING = re.compile(r"\s+the\s+(?P<np>(?:[A-Za-z.’'-]+\s+){0,3}?[\w.’'-]+)(?=\s*(?:[,.;:]|$))")
_ORG_NOUN_DOCUMENT_BEFORE = re.compile(
    r"(?:^|(?<=[\s,]))[Tt]he\s+(?P<owner>[a-z]+)['’]s\s+(?:[a-z]+\s+){0,2}?(?P<doc>"
    + "|".join(sorted(_DOCUMENT_NOUNS, key=len, reverse=True))
    + r")\s+(?:"
    + _BEFORE_VERB
    + r"\s+)*$"
)
_ROLE_AFTER = re.compile(r"\s+the\s+(?P<np>(?:[A-Za-z.’'-]+\s+){0,3}?[\w.’'-]+)(?=\s*(?:[,.;:]|$))")


def _subject_before(body: str, vstart: int, window_start: int, mentions: list[Mention]) -> Mention | None:
    """The mention that is the subject of the verb at `vstart`."""
    end = vstart
    text_before = body[window_start:end].rstrip()
    if (named := _before_relative_pronoun(text_before, window_start, mentions)) is not None:
        return named
    # An appositive between commas right before the verb: a name in it is the subject
    # (`…, Vladimir Chizhov, dismissed`), anything else is skipped (`Medvedev, now …, mocked`).
    comma = window_start + len(text_before) - 1
    prev_comma = body.rfind(",", window_start, comma) if text_before.endswith(",") else -1
    if prev_comma != -1:
        if (named := _named_in_appositive(body, prev_comma, comma, mentions)) is not None:
            return named
        end = prev_comma
        # More appositives of the same person before it: `Sen. Rand Paul, R-Ky., who voted
        # against the bill, said` (the subject is the name the chain hangs on).
        while (prev_comma := body.rfind(",", window_start, end)) != -1 and not any(
            prev_comma < m.char_start and m.char_end <= end and m.label == "PERSON" for m in mentions
        ):
            if not any(m.label == "PERSON" and 0 <= prev_comma - m.char_end <= 1 for m in mentions):
                break
            end = prev_comma
    candidates = _subject_candidates(body, window_start, end, mentions)
    if candidates and candidates[-1].label != "PERSON":
        # An appositive whose closing comma is missing: `Mark Serwotka, the leader of the Public
        # and Commercial Services Union said`.
        people = [m for m in candidates if m.label == "PERSON"]
        if people and _OPEN_APPOSITIVE.match(body, people[-1].char_end, end) and "," not in body[people[-1].char_end + 1 : end]:
            return people[-1]
    if len(candidates) >= 2 and _POST_NOMINAL.fullmatch(candidates[-1].text):
        # Letters after a name are no one else (`Judge Richard Mansell KC said`, `X MP said`).
        person = candidates[-2]
        if person.label == "PERSON" and not body[person.char_end : candidates[-1].char_start].strip(" ,"):
            return person
    return candidates[-1] if candidates else None


# An appositive that is a clause about the person, not a name (`Ruth Kaminski, 58, who has
# lived on Mill Road for 30 years, said`): whatever it names is not the subject.
_ASIDE = re.compile(r"\s*(?:who|whose|whom|which|where|when|\d{1,3}\b)")


def _subject_candidates(body: str, window_start: int, end: int, mentions: list[Mention]) -> list[Mention]:
    """The mentions between `window_start` and `end` that may be a verb's subject: not in a
    bracketed aside, not after a preposition (but an organization its staff speak for)."""
    return [
        m
        for m in mentions
        if window_start <= m.char_start
        and m.char_end <= end
        and m.label in _SPEAKER_LABELS
        and not _in_brackets(body, window_start, m.char_start)
        and (
            not _after_preposition(body, _named_before_acronym(body, m, mentions).char_start, window_start)
            # `Officials at the Department of Health said`: the organization speaks through them
            or (m.label in ("ORG", "FAC") and bool(_STAFF_OF.search(body, max(window_start, m.char_start - 40), m.char_start)))
        )
    ]


def _named_in_appositive(body: str, prev_comma: int, comma: int, mentions: list[Mention]) -> Mention | None:
    """The person named in the appositive between two commas (`…, Vladimir Chizhov,`, `…,
    with Maria Hutchings marching up to him, saying`), not in a clause about someone (`, who
    has lived on Mill Road for 30 years,`)."""
    if _ASIDE.match(body, prev_comma + 1):
        return None
    inside = [m for m in mentions if prev_comma < m.char_start and m.char_end <= comma and m.label == "PERSON"]
    if any(x.label == "PERSON" and 0 <= prev_comma - x.char_end <= 1 for x in mentions):
        # an appositive of the person before it: not one it names after a preposition
        # (`Birgit Kuhlhoff, from Sal Oppenheim investment bank, told`)
        inside = [m for m in inside if not _after_preposition(body, m.char_start, prev_comma + 1)]
    return inside[-1] if inside else None


def _before_relative_pronoun(text_before: str, window_start: int, mentions: list[Mention]) -> Mention | None:
    """`the Music Managers' Forum (MMF), who say`: the name right before the relative
    pronoun that opens the verb's clause, even after a preposition."""
    who = re.search(r",\s+(?:who|which)(?:\s+also)?$", text_before)
    if who is None:
        return None
    named = [m for m in mentions if window_start <= m.char_start and 0 <= window_start + who.start() - m.char_end <= 1]
    return named[-1] if named and named[-1].label in _SPEAKER_LABELS else None


def _named_before_acronym(body: str, m: Mention, mentions: list[Mention]) -> Mention:
    """The mention an acronym in brackets right after it names (`the Consumer Electronics
    Association (CEA)`), else `m` itself."""
    if body[max(0, m.char_start - 2) : m.char_start].strip() == "(" and body[m.char_end : m.char_end + 1] == ")":
        before = [x for x in mentions if 0 <= m.char_start - x.char_end <= 2]
        if before:
            return before[-1]
    return m


def _in_brackets(body: str, start: int, pos: int) -> bool:
    """Whether `pos` is inside a bracketed aside opened after `start` (`Cllr Margaret Oduya
    (Lab, Eastbrook) said`: the ward is not the speaker)."""
    if body[max(start, pos - 2) : pos].strip() == "(" and re.match(r"[A-Z][A-Za-z&.'’-]*\)", body[pos : pos + 16]):
        return False  # an acronym in brackets is the name before it: `the Music Managers' Forum (MMF), who say`
    aside = re.sub(r"\([A-Z][A-Za-z&.'’-]*\)", "", body[start:pos])
    return aside.count("(") > aside.count(")")


_STAFF_OF = re.compile(
    r"\b(?:[Oo]fficials|[Ss]ources|[Ee]xecutives|[Ss]taff|[Rr]epresentatives|[Ss]pokespeople|[Aa]nalysts|[Ee]conomists|"
    r"[Rr]esearchers|[Ss]cientists)\s+(?:at|from|of|for)\s+(?:the\s+)?$"
)
_OPEN_APPOSITIVE = re.compile(r",\s+(?:the|a|an|its|his|her|their)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)*\s+(?:of|at|for)\s+")
_POST_NOMINAL = re.compile(r"[A-Z]{2,4}|Jr\.?|Sr\.?")


# `a statement from the Kremlin said`, `a spokesman for the ministry said`: the speaker
# stands after the preposition.
_VOICE_OF = re.compile(
    r"\b(?:statement|communique|readout|release|message|spokesman|spokeswoman|spokesperson|spokespeople|"
    r"representative|letter|report)\s+(?:from|by|for|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _after_preposition(body: str, start: int, limit: int) -> bool:
    words = re.findall(r"[A-Za-z]+", body[max(limit, start - 40) : start])
    while words and words[-1].lower() in ("the", "a", "an"):
        words.pop()
    # the second of two names after one preposition (`the ministers of Estonia and Latvia`)
    if len(words) >= 3 and words[-1] in ("and", "or") and words[-2][:1].isupper() and words[-3].lower() in _PREPOSITIONS:
        words = words[:-2]
    if words and words[-1].lower() in _PREPOSITIONS and _VOICE_OF.search(body, max(limit, start - 40), start):
        return False
    if bool(words) and words[-1].lower() in _PREPOSITIONS:
        return True
    # a later name of a list after one preposition (`Tries from Dan Sheehan, Ciaran Frawley
    # and Tadhg Beirne put …`)
    listed = _LISTED_AFTER_PREPOSITION.search(body, max(limit, start - 80), start)
    if listed is None:
        return False
    # after a comma only when the list goes on (not `On Sunday, Grant Shapps said`), after
    # `and` with a comma before it or after `of` (`The star of Rain Man and Tootsie said`;
    # not `a tie at Old Trafford and Ancelotti said`, a new clause)
    if listed.group("sep").strip() == ",":
        return bool(_LIST_GOES_ON.match(body, start))
    return "," in listed.group() or listed.group().split()[0].casefold() in ("of", "between")


_NAME_WORDS = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
_LISTED_AFTER_PREPOSITION = re.compile(
    r"\b(?:"
    + "|".join(sorted(_PREPOSITIONS))
    + r")\s+(?:the\s+)?"
    + _NAME_WORDS
    + r"(?:\s*,\s*"
    + _NAME_WORDS
    + r")*(?P<sep>\s*,\s*|,?\s+(?:and|or)\s+)$"
)
_LIST_GOES_ON = re.compile(_NAME_WORDS + r"(?:\s*,\s*|,?\s+(?:and|or)\s+)[A-Z]")


_APPOSED_NAME = re.compile(r",\s?(?:(?:Dr|Prof|Professor|Sir|Dame|Mr|Mrs|Ms)\.?\s+)?")


def _after_verb(body: str, vend: int, mentions: list[Mention]) -> Mention | None:
    """Inverted order: `said French Foreign Minister Jean-Yves Le Drian, who …`."""
    stop = _NP_END.search(body, vend + 1)
    np_end = stop.start() if stop else len(body)
    # `according to Ukrainian Foreign Ministry spokesman Oleg Nikolenko`: the head is last.
    inside = [m for m in mentions if vend <= m.char_start and m.char_end <= np_end and m.label in _SPEAKER_LABELS]
    people = [m for m in inside if m.label == "PERSON"]
    if people:
        return people[-1]
    if (title := _APPOSED_NAME.match(body, np_end)) is not None:
        # `said the manager, Henrik Aalto.`, `said the study's lead author, Dr Priya Raman of
        # University College London`: the name in apposition
        named = [m for m in mentions if m.label == "PERSON" and m.char_start == title.end()]
        if named and re.match(r"\s*(?:[,.;]|$)|\s+(?:of|at|from)\s", body[named[0].char_end : named[0].char_end + 6]):
            return named[0]
    return inside[-1] if inside else None


def _antecedent(
    body: str, mentions: list[Mention], pos: int, pronoun: str, sentence_starts: list[int] | None = None
) -> Mention | None:
    """The last entity named before a pronoun that the pronoun can stand for: `he` and
    `she` a person not known as the other, `it` an organization or place, `they` the
    last one named in the paragraph when that is a person (`they` of a person who is
    neither he nor she; a group is no entity)."""
    want = _PRONOUNS[pronoun]
    if want == "any":
        paragraph = _paragraph_start(body, pos)
        named = [
            m
            for m in mentions
            if paragraph <= m.char_start
            and m.char_end <= pos
            and m.label in _SPEAKER_LABELS
            and not _after_preposition(body, m.char_start, paragraph)  # `an analyst at the Council`
        ]
        if named and named[-1].label == "ORG" and sentence_starts:
            # `Arsenal said they were disappointed. "…," they said.`: an organization that is
            # the subject of its sentence (British usage)
            i = bisect.bisect_right(sentence_starts, named[-1].char_start) - 1
            start = max(paragraph, sentence_starts[i]) if i >= 0 else paragraph
            if not re.sub(r"\b(?:[Tt]he|[Ii]n\s+a\s+statement,?)\s*", "", body[start : named[-1].char_start]).strip():
                return named[-1]
        return named[-1] if named and named[-1].label == "PERSON" else None
    for m in reversed([m for m in mentions if m.char_end <= pos]):
        if want == "it":
            if m.label in ("ORG", "GPE", "FAC"):
                return m
            continue
        if m.label != "PERSON":
            continue
        if not _fits(body, m, want):
            continue
        if not sentence_starts:
            return m
        # The subject of that sentence rather than a person named after it (`Tokayev criticised
        # …, without naming Nursultan Nazarbayev. "…," he said` → Tokayev).
        fitting = [x for x in mentions if x.char_end <= m.char_end and x.label == "PERSON" and _fits(body, x, want)]
        return _subject_of_sentence(body, fitting, sentence_starts, _paragraph_start(body, m.char_start))
    return None


def _fits(body: str, m: Mention, want: str) -> bool:
    """Whether `he` (`want` "m") or `she` ("f") can stand for the person `m`."""
    first = m.canonical_name.split()[0] if m.canonical_name else ""
    honorific = re.search(r"\b(Mr|Ms|Mrs|Miss)\.?\s+$", body[max(0, m.char_start - 6) : m.char_start])
    sex = _first_name_sex(first)
    female = sex == "f" or bool(honorific and honorific.group(1) != "Mr")
    male = sex == "m" or bool(honorific and honorific.group(1) == "Mr")
    return not ((want == "m" and female and not male) or (want == "f" and male and not female))


@functools.cache
def _first_name_sex(first: str) -> str | None:
    """`m` or `f` for a given name, None when unknown or used for both: the reference's
    lists first (names of people in the news), then gender-guesser's list
    (transforms.given_names, read without its detector), which knows the names of many
    countries those lists do not (`Mette`, `Amara`, `Zhanar`, `Arne`): only its sure answers,
    not `mostly_` ones (`Jamie` is "mostly_female", a man in British news as often), `andy`
    (both) or `unknown`."""
    key = first.casefold()
    if key in FEMALE_FIRST_NAMES:
        return None if key in MALE_FIRST_NAMES else "f"
    if key in MALE_FIRST_NAMES:
        return "m"
    if not first[:1].isupper() or not first.replace("-", "").isalpha():
        return None
    return given_name_sex(first)


def _mention_by_id(mentions: list[Mention], entity_id: str | None) -> Mention | None:
    if entity_id is None:
        return None
    return next((m for m in mentions if m.entity_id == entity_id), None)
