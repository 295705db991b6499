"""The Coder: articles in, event mentions out.

Per article: split sentences (regex, no model), find actors in every sentence (dictionary,
for coreference), parse only sentences holding a trigger word (``nlp.pipe`` in batches),
then resolve each candidate's roles, negation, modality, date, place, numbers and source.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import islice

from spacy.lang.en.stop_words import STOP_WORDS

from dateline.coding.candidates import Candidate, Finder
from dateline.coding.clauses import (
    clause_spans,
    dates_a_noun,
    deep_noun_date,
    framing,
    modifies_noun,
    purpose,
    scene_spans,
)
from dateline.coding.dates import MONTHS, WEEKDAYS
from dateline.coding.detector import SCORES_KEY
from dateline.coding.lexicon import Lexicon, pluralize, singular
from dateline.coding.place_roles import home_country, place_roles
from dateline.coding.syntax import SentenceAnalyzer, phrase
from dateline.coding.tails import reporting_tail, without_tail
from dateline.config import Config
from dateline.event_types import event_types
from dateline.ingest.text import dateline_end
from dateline.model import QUAD_CLASS, ActorRef, Article, Attribution, Mention, Place
from dateline.nlp import NLP, Sentence, is_lower_cased, split_sentences, unshout, upos

# "PTI adds from Ayodhya:", "our correspondent reports from Gaza:": a dateline in the body
RELAY = re.compile(r"\b(?:adds?|reports?|writes?|reporting)\s+from\s+([A-Za-z][\w .'’-]{1,40}?\s*:)", re.I)
# words before a day that make it the start or bound of a period, not the story's day
PERIOD_WORDS = frozenset({"since", "after", "following", "before", "till", "until"})
# a date that ends or starts a period dates no act ("custody till April 1", "for the first
# time since 1961")
PERIOD_END = frozenset({"till", "until", "upto", "since"})
# words of a state's name: no person ("the Soviet Union", "the Dominican Republic")
STATE_WORDS = frozenset({"union", "republic", "kingdom", "state", "states", "emirates", "empire",
                         "federation", "confederation", "sultanate", "principality"})
# a capitalised word past the first: perhaps a name the actor dictionaries lack
WORD = re.compile(r"[a-z][a-z'-]*")
NAME_INSIDE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
# material types whose event noun ("strikes", "shelling") stands without a named side when
# the sentence places it
AGENTLESS_TYPES = frozenset({"ASSAULT", "COERCE"})
PRONOUNS = {"it", "they", "he", "she", "its", "their", "his", "her", "them", "we", "itself",
            "i", "my"}
PERSON_PRONOUNS = {"he", "she", "his", "her", "i", "my"}  # "i" in a quote: the speaker
PASSIVE_AUX = {"was", "were", "been", "being"}
# a crowd of unknown people may be a protest's actor ("thousands of exiles marched")
CROWD_WORDS = {"thousands", "hundreds", "dozens", "scores", "tens"}
FOCUS_CHARS = 3000
FOCUS_CHARS_LOWER = 1000  # lower-case text is scanned word by word: a shorter lead
CARRY_SENTENCES = 2  # how many sentences on a material act's place carries to unplaced ones
COUNTRY_WORDS = frozenset({"country", "capital", "adjective", "demonym"})  # actor match kinds
# event types whose place is where it physically happened: a place after "on", "against"
# or as their object is where they happened ("strikes on Aleppo", "shelled Homs")
MATERIAL = frozenset(t.name for t in event_types().values() if t.located)
TOPICAL = frozenset({"PROTEST", "SANCTION"})  # material, but their objects are causes
# words said where people gather: a place hanging on a participant is where it happened
# ("signed a deal with rebels in Juba"); a place in what they discussed is not
GATHERING = frozenset({"CONSULT", "AGREE"})
# object classes that name the event itself ("reached a deal", "held talks"): a place hanging
# on such an object is where the event happened ("a deal in Brussels"), not what it is about
EVENT_OBJECTS = frozenset({"AGREEMENT", "TALKS", "PROTESTS"})
MOVEMENT_MODES = frozenset({"visit", "troops"})  # "travel to Iraq", "deployed to Kirkuk"
# a direct question asserts nothing: a question word or an inverted auxiliary first, "?" last
DIRECT_QUESTION = re.compile(
    r"^[\"'“‘(]*(?:what|why|how|who|whom|whose|when|where|which|will|would|did|does|do|is|"
    r"are|was|were|can|could|should|has|have|had)\b[^?]*\?[\"'”’)]*$", re.IGNORECASE | re.DOTALL)
HEADER_PENALTY = 0.1
NAME_KINDS = frozenset({"person", "group", "country", "capital"})  # names, not sector words
STATE_NAME_KINDS = frozenset({"country", "capital", "adjective", "demonym"})  # a state's names
# a day a statement was made: "told reporters here on Friday", "said on Friday", "on Friday
# said" (the verb at most a few words before the day, or right after it)
_REPORTING = r"(?:said|says|told|announced|added|stated|claimed|alleged|declared|asserted|" \
    r"speaking|addressing|briefing|remarked|warned)"
REPORTED_DAY_BEFORE = re.compile(rf"\b{_REPORTING}\b(?:\s+[\w']+){{0,4}}\s+(?:on\s+)?$",
                                 re.IGNORECASE)
REPORTED_DAY_AFTER = re.compile(rf"\s*,?\s*{_REPORTING}\b", re.IGNORECASE)
STORY_DAYS = 7  # a story's day is a past day at most this many days before publication
LEDE_SENTENCES = 3  # the body sentences that may name it
CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")
TITLE_WORD = re.compile(r"\b[A-Za-z][a-z]+\b")
ALPHA_RUN = re.compile(r"[A-Za-z]+")
# "IS-HELD", "US-LED": an acronym before a hyphenated participle
CAPS_HYPHEN = re.compile(r"-(?:HELD|LED|BACKED|CONTROLLED|RUN|OCCUPIED|ALLIED|BASED)\b")
HEADER_CLAUSE = re.compile(r"[^;\s][^;]*[^;\s]|[^;\s]")  # a header line's clauses, trimmed
VAGUE_DATES = ("publication", "unknown")  # no date of the mention's own
PLANNED_CAMEO = {t.name: t.planned_cameo for t in event_types().values() if t.planned_cameo}


@dataclass
class ArticleContext:
    article: Article
    published: date | None
    sentences: dict[int, Sentence]  # by index: body from 0, headline and subheadlines < 0
    actors: dict[int, list]  # per sentence index: ActorMatch objects (sentence offsets)
    focus: list[str]
    candidates: list[Sentence] = field(default_factory=list)
    dateline: Place | None = None  # the place of the article's opening dateline
    guessed: set = field(default_factory=set)  # spans of generic actors given the focus country
    parts: dict[int, str] = field(default_factory=dict)  # header indices: their part
    last_accusers: list[ActorRef] = field(default_factory=list)  # of the last ACCUSE so far
    last_day: date | None = None  # the last day a body sentence named
    story_day: date | None = None  # the past day the lede named: the story's day
    story_from: int = 0  # the index of the sentence that named it
    scores: dict[int, dict[str, float]] = field(default_factory=dict)  # detector, per sentence
    # "PTI adds from Ayodhya: ...": a dateline inside the body, from that sentence on
    relays: dict[int, Place] = field(default_factory=dict)
    # event nouns a body sentence dated ("an all-party meet was convened on Friday"): a later
    # "the meet" is that day's
    noun_days: dict[str, date] = field(default_factory=dict)
    # the same for days ahead: "a bandh has been called for April 16. ... the bandh will"
    planned_noun_days: dict[str, date] = field(default_factory=dict)
    # the sentence index and the place of the last material act placed by its own words
    last_place: tuple[int, Place] | None = None
    # per sentence index: actors read from names the dictionaries lack, (ref, is a person)
    named: dict[int, list[tuple[ActorRef, bool]]] = field(default_factory=dict)
    # the focus came only from the places named (no country word, no dateline): it fills in
    # generic words ("troops", "students") but makes no unknown name an actor ("Exxon")
    focus_by_places: bool = False

    def dateline_at(self, index: int) -> Place | None:
        """The dateline of sentence ``index``: the last relay before it, else the opening."""
        before = [i for i in self.relays if i <= index]
        return self.relays[max(before)] if before and index >= 0 else self.dateline

    @property
    def default_country(self) -> str | None:
        return self.focus[0] if self.focus else None


class Coder:
    """Holds every loaded part; ``Coder.from_config`` loads them, the constructor does no I/O."""

    languages = ("en",)  # what it reads (dateline.protocols): other articles are not coded

    def __init__(self, nlp: NLP, lexicon: Lexicon, actors, places, gazetteer, dates,
                 quantities, config: Config | None = None,
                 finders: Sequence[Finder] | None = None):
        self.nlp = nlp
        self.lexicon = lexicon
        # who proposes candidates, in order (see coding/finders.py); the rules by default.
        # The rules' analyzer also reads roles for the other finders and the pre-filter.
        self.finders: list[Finder] = list(finders) if finders is not None else []
        self.analyzer = next((f for f in self.finders if isinstance(f, SentenceAnalyzer)),
                             None) or SentenceAnalyzer(lexicon)
        if finders is None:
            self.finders = [self.analyzer]
        self.scorer = _scorer(self.finders)
        self.actors = actors
        self.places = places
        self.gazetteer = gazetteer
        self.dates = dates
        self.quantities = quantities
        self.config = config or Config()
        self.prefilter = lexicon.prefilter()
        self._agentless_words = lexicon.noun_forms(AGENTLESS_TYPES)
        # words of the lexicon's classes: common nouns, never part of a name
        self._class_words = frozenset(w for ws in lexicon.classes.values() for w in ws)
        # nouns that name an event a later sentence may take up ("the meet", "the rally")
        self._event_nouns = frozenset(w for c in ("TALKS", "PROTESTS", "INCIDENT")
                                      for w in lexicon.classes.get(c, ()))
        protests = lexicon.classes.get("PROTESTS", frozenset())
        self._protest_nouns = protests | frozenset(w + "s" for w in protests)
        # words of force or harm that keep an "attack" an attack (class ARMED and the coder's)
        self._force_words = lexicon.classes.get("ARMED", frozenset()) | HARM_WORDS
        self._play = lexicon.classes.get("PLAY", frozenset())
        self._armed_words = lexicon.classes.get("ARMED", frozenset())
        self._protesters = lexicon.classes.get("PROTESTER", frozenset())
        self._joint = lexicon.classes.get("JOINT", frozenset())
        self._troops = lexicon.classes.get("TROOPS", frozenset())
        self._people = lexicon.classes.get("PERSON", frozenset())
        # objects that are the event itself, by class or by a word of those classes ("held
        # a meeting in Ayodhya": the meeting's place is the event's)
        self._event_objects = EVENT_OBJECTS.union(*(
            lexicon.classes.get(c, frozenset()) for c in EVENT_OBJECTS))
        self._military_nouns = frozenset().union(*(
            lexicon.classes.get(c, frozenset()) for c in ("TROOPS", "VESSEL", "AIRCRAFT")))
        self._real_force = lexicon.classes.get("ARMED", frozenset()) | INJURY_WORDS
        # nouns of incidents a sentence recalls by their day ("the carnage on February 27")
        self._incidents = frozenset(f for w in lexicon.classes.get("INCIDENT", ())
                                    for f in (w, *pluralize(w)))

    def with_finders(self, finders: Sequence[Finder]) -> Coder:
        """The same loaded parts with other finders (a trainer trying detector models, a
        test of the rules alone); the analyzer stays the one roles are read with."""
        coder = copy.copy(self)  # shares the loaded parts and the pre-filter
        coder.finders = list(finders)
        coder.scorer = _scorer(coder.finders)
        return coder

    @classmethod
    def from_config(cls, config: Config | None = None) -> Coder:
        from dateline.coding.actors import ActorDictionary, ActorFinder
        from dateline.coding.dates import DateResolver
        from dateline.coding.finders import build_finders
        from dateline.coding.places import PlaceFinder
        from dateline.coding.quantities import QuantityExtractor
        from dateline.gazetteer import Gazetteer

        config = config or Config()
        gazetteer = Gazetteer.load(min_population=config.min_city_population,
                                   extra_files=tuple(config.dicts))
        lexicon = Lexicon.load(config.dicts)
        analyzer = SentenceAnalyzer(lexicon)
        coder = cls(
            nlp=NLP.load(config.model, config.batch_size),
            lexicon=lexicon,
            actors=ActorFinder(ActorDictionary.load(config.dicts)),
            places=PlaceFinder(gazetteer),
            gazetteer=gazetteer,
            dates=DateResolver(),
            # quantulum3 costs ~100 ms a sentence; the extractor's own rules cover news counts
            quantities=QuantityExtractor(use_quantulum=False),
            config=config,
            finders=build_finders(config.finders, analyzer, config),
        )
        coder.analyzer = analyzer  # also when the config names no rules finder
        return coder

    # -- public -------------------------------------------------------------------------
    def code_article(self, article: Article) -> list[Mention]:
        return next(iter(self.code_articles([article])))[1]

    def code_articles(self, articles: Iterable[Article],
                      chunk: int = 32) -> Iterator[tuple[Article, list[Mention]]]:
        """Code articles in chunks, parsing all their candidate sentences in one
        ``nlp.pipe`` call per chunk; yields (article, mentions) in input order."""
        it = iter(articles)
        while True:
            batch = list(islice(it, chunk))
            if not batch:
                return
            contexts = [self._prepare(a) for a in batch]
            if self.scorer is not None:
                self._screen(contexts)
            texts = [self.parse_text(s.text, ctx.actors.get(s.index, ()))
                     for ctx in contexts for s in ctx.candidates]
            docs = iter(self.nlp.parse(texts))
            for ctx in contexts:
                mentions: list[Mention] = []
                for sent in ctx.candidates:
                    doc = next(docs)
                    if sent.index in ctx.scores:
                        doc.user_data[SCORES_KEY] = ctx.scores[sent.index]
                    mentions.extend(self._code_sentence(ctx, sent, doc))
                yield ctx.article, mentions

    def parse_text(self, text: str, actors: Sequence = (), words: frozenset[str] = frozenset()
                   ) -> str:
        """What the parser reads of a sentence: headlines in sentence case, names in a
        lower-cased sentence capitalised, a final reporting tail (", officials said on
        Monday.") blanked (``coding/tails.py``); the same length as ``text``."""
        return without_tail(self._name_case(self._sentence_case(text, words), actors),
                            reporting_tail(text))

    def _name_case(self, text: str, actors: Sequence) -> str:
        """In a sentence written without capitals ("modi asked the agencies"), the names the
        dictionaries found (people, groups, countries) capitalised, and the unknown words
        right after a title ("governor vishnukant shastri"), so that the tagger reads them
        as names, not verbs ("modi", "shastri" as verbs); actors are still read from the
        text."""
        if not actors or any(c.isupper() for c in text):
            return text
        chars = list(text)

        def cap(start: int, end: int) -> None:
            for w in re.finditer(r"[a-z]+", text[start:end]):
                if w.group(0) not in STOP_WORDS:
                    chars[start + w.start()] = chars[start + w.start()].upper()

        for m in actors:
            if m.ref.start is None or m.ref.end is None:
                continue
            if m.kind in NAME_KINDS:
                cap(m.ref.start, m.ref.end)
            elif m.kind == "title":
                # up to three words after a title that are neither function words nor words
                # the lexicon knows: the holder's name
                after = re.match(r"(?:\s+[a-z]+){1,3}", text[m.ref.end:])
                end = m.ref.end
                for w in re.finditer(r"\s+([a-z]+)", after.group(0) if after else ""):
                    word = w.group(1)
                    if word in STOP_WORDS or word in self.prefilter or word in self._class_words:
                        break
                    end = m.ref.end + w.end()
                if end > m.ref.end:
                    cap(m.ref.start, end)
        return "".join(chars)

    def _sentence_case(self, text: str, words: frozenset[str] = frozenset()) -> str:
        """Headline-style text ("Airmen Deploy to Turkey", "U.S. Condemns Attack") parses
        better in sentence case: in a line whose words are mostly capitalised, trigger words
        and function words are lower-cased for the parser (same length, so offsets hold;
        actors and places are read from the original text)."""
        if _all_caps(text):
            text = self._caps_line(text)
        # (function words are in lower case in a headline: "Rebels Withdraw from X")
        found = [w for w in TITLE_WORD.findall(text) if w.lower() not in STOP_WORDS]
        long = [w for w in found if len(w) > 3]
        if len(long) < 3 or sum(w[0].isupper() for w in long) < 0.6 * len(long):
            return text

        def lower(m: re.Match) -> str:
            word = m.group(0)
            if m.start() == 0 or not word[0].isupper() or not word[1:].islower():
                return word
            low = word.lower()
            return low if low in self.prefilter or low in STOP_WORDS or low in words else word

        return TITLE_WORD.sub(lower, text)

    @staticmethod
    def _caps_line(text: str) -> str:
        """A line in capitals ("CHADIAN REBELS WITHDRAW FROM N'DJAMENA") in title case, as
        a headline written so is read; short acronyms before a hyphen stay ("IS-held")."""
        def title(m: re.Match) -> str:
            word = m.group(0)
            if len(word) <= 3 and CAPS_HYPHEN.match(text, m.end()):
                return word
            if m.start() > 0 and text[m.start() - 1] in "'’" and len(word) == 1:
                return word.lower()  # "SUDAN'S"
            return word[0] + word[1:].lower()

        return ALPHA_RUN.sub(title, text)

    def _screen(self, contexts: list[ArticleContext]) -> None:
        """Score every sentence that may name an actor with the detector; those it reads
        as events are parsed too, though no trigger word is in them."""
        todo = []
        for ctx in contexts:
            chosen = {s.index for s in ctx.candidates}
            todo += [(ctx, s) for s in ctx.sentences.values() if s.index in chosen
                     or self._may_have_actor(s.text, ctx.actors[s.index])]
        scores = self.scorer.score([s.text for _ctx, s in todo])
        for (ctx, sent), sc in zip(todo, scores):
            ctx.scores[sent.index] = sc
        for ctx in contexts:
            chosen = {s.index for s in ctx.candidates}
            extra = [s for s in ctx.sentences.values() if s.index not in chosen
                     and s.index in ctx.scores and self.scorer.screens_in(ctx.scores[s.index])]
            if extra:
                ctx.candidates = sorted(ctx.candidates + extra, key=lambda s: s.index)

    def is_candidate(self, text: str, actors: Sequence = (), names: bool = False) -> bool:
        """The pre-filter: a trigger's words are in the sentence, and an actor or a
        pronoun that may stand for one (``names``: or a name the dictionaries may lack)."""
        return self.prefilter(text) and self._may_have_actor(text, actors, names)

    def _may_have_actor(self, text: str, actors: Sequence = (), names: bool = False) -> bool:
        if actors:
            return True
        if names and (is_lower_cased(text) or NAME_INSIDE.search(text)):
            return True  # "siddaramaiah urged", "Mr Rane accused": a person may be the actor
        words = set(WORD.findall(text.lower()))
        # a pronoun may stand for an actor; a passive may leave the actor implied; a
        # country adjective may be the actor ("Israeli strikes killed 20")
        return bool(words & PRONOUNS) or bool(words & PASSIVE_AUX) or bool(words & CROWD_WORDS) \
            or bool(words & self._agentless_words) or any(
            self.gazetteer.country(w, adjectives=True) for w in CAPITALISED.findall(text))

    # -- per article --------------------------------------------------------------------
    def _prepare(self, article: Article) -> ArticleContext:
        published = article.published.date() if article.published else None
        sentences, parts = header_sentences(article) if self.config.code_headlines else ([], {})
        body = split_sentences(article.text)
        # "QUITO — ", "lucknow: ": the dateline is neither an actor nor a place in the first
        # sentence; it is the place of the article's events that name none
        skip = dateline_end(article.text) or self.places.dateline(article.text)[0]
        if body and 0 < skip < body[0].end:
            first = body[0]
            body[0] = replace(first, start=skip, text=first.text[skip - first.start:])
        sentences += body
        # "REBELS SEIZE KISANGANI AIRPORT": names are found and parsed as written in title case
        sentences = [replace(s, text=unshout(s.text)) for s in sentences]
        lowercase = is_lower_cased(article.text)
        # first pass: actors as written, to learn the article's focus; second pass with the
        # focus country, which settles generic and ambiguous names ("the army", "congress")
        phrases = [self.actors.phrases(s.text, lowercase) for s in sentences]
        first = [self.actors.find(s.text, on=published, lowercase=lowercase, phrases=p)
                 for s, p in zip(sentences, phrases)]
        # a name several countries' actors bear ("congress") is no evidence of the focus;
        # nor is a country's own name or adjective, which the scan of the lead counts where
        # it matters ("visited pakistan twice" deep in a story from Ahmedabad)
        extra = [m.ref.country for ms in first for m in ms
                 if m.ref.country and not m.generic and not m.ambiguous
                 and m.kind not in COUNTRY_WORDS]
        # the lead paragraphs set an article's country focus; scanning only them keeps the
        # gazetteer look-ups per article bounded
        head = article.text[skip:skip + (FOCUS_CHARS_LOWER if lowercase else FOCUS_CHARS)]
        unfocused = None  # the dateline's place read without a focus, when it was needed
        if skip:
            # where the story was filed counts like one actor of that country (a city the
            # country scan misses in lower-case text, "new delhi:", by the dateline's place)
            filed = list(self.gazetteer.focus(article.text[:skip]))[:1]
            if not filed:
                unfocused = self.places.dateline(article.text, [])[1]
                filed = [unfocused.country] if unfocused is not None and unfocused.country else []
            extra = filed + extra
        focus = list(self.gazetteer.focus(head, extra=extra))
        if unfocused is not None and focus and focus[0] == unfocused.country:
            dateline_place = unfocused  # the focus would pick the same place again
        else:
            dateline_place = self.places.dateline(article.text, focus)[1] if skip else None
        relays = {}
        for sent in body:
            relay = RELAY.search(sent.text[:120])
            if relay:
                place = self.places.dateline(sent.text[relay.start(1):], focus)[1]
                if place is not None:
                    relays[sent.index] = place
        if dateline_place is not None and dateline_place.country not in focus:
            # "new delhi:" names no country word; where the story was filed still counts
            focus.append(dateline_place.country)
        by_places = False
        if not focus:
            # no country word and no dateline: the places of the lead ("troops raided
            # monasteries in Rangoon") tell whose troops and police the story speaks of
            found = Counter(p.country for p in self.places.find(head) if p.country)
            focus = [iso for iso, _ in found.most_common()]
            by_places = bool(focus)
        actors = first
        if focus and any(m.generic or m.ambiguous or m.kind == "coref"
                         for ms in first for m in ms):
            actors = [self.actors.find(s.text, on=published, default_country=focus[0],
                                       lowercase=lowercase, phrases=p)
                      for s, p in zip(sentences, phrases)]
        ctx = ArticleContext(article, published, {s.index: s for s in sentences},
                             {s.index: a for s, a in zip(sentences, actors)}, focus,
                             parts=parts, dateline=dateline_place, relays=relays,
                             focus_by_places=by_places)
        ctx.candidates = [s for s, acts in zip(sentences, actors)
                          if self.is_candidate(s.text, acts, names=True)]
        self._story_day(ctx, body)
        return ctx

    def _story_day(self, ctx: ArticleContext, body: list[Sentence]) -> None:
        """The day the lede names (a past day at most ``STORY_DAYS`` before publication, in
        the first ``LEDE_SENTENCES``): later sentences with no date of their own take it."""
        if ctx.published is None:
            return
        found = []
        # (a publication day in the first week of year 1 has no week before it)
        earliest = ctx.published - min(timedelta(days=STORY_DAYS), ctx.published - date.min)
        for sent in body[:LEDE_SENTENCES]:
            for ref in self.dates.find(sent.text, ctx.published):
                if ref.precision == "day" and not getattr(ref, "planned", False) \
                        and earliest <= ref.date <= ctx.published \
                        and not self._recalled(sent.text, ref.start, ref.end):
                    found.append((sent, ref))
        # the day a statement was made is the story's ("the bill, which failed on Thursday,
        # ... he told reporters on Friday"): the first day a reporting verb governs, else
        # the first day
        said = [(s, r) for s, r in found if REPORTED_DAY_BEFORE.search(
            s.text[max(0, r.start - 45):r.start]) or REPORTED_DAY_AFTER.match(s.text[r.end:])]
        if said or found:
            sent, ref = (said or found)[0]
            ctx.story_day, ctx.story_from = ref.date, sent.index

    def _recalled(self, text: str, start: int, end: int) -> bool:
        """A day that dates an incident the story looks back to ("the carnage on February
        27", "the February 27 carnage", "violence since February 27"), not the story's news."""
        before = WORD.findall(text[max(0, start - 30):start].lower())[-3:]
        after = WORD.findall(text[end:end + 20].lower())[:2]
        return bool(set(before) & (self._incidents | PERIOD_WORDS)) or bool(
            after and after[0] in self._incidents)

    def _code_sentence(self, ctx: ArticleContext, sent: Sentence, doc) -> list[Mention]:
        places = self.places.find(sent.text, focus=ctx.focus)
        # the sentence's own country words come before the article's focus: "Palmyra" in
        # a sentence naming Syria is the Syrian one whatever the article is about
        own = self._sentence_countries(sent.text, places)
        if own and own != ctx.focus[:len(own)]:
            places = self.places.find(sent.text, focus=own + [c for c in ctx.focus
                                                              if c not in own])
        place_spans = [(p.start, p.end) for p in places]
        candidates: list[Candidate] = []
        for finder in self.finders:
            candidates = finder.analyze(doc, place_spans, candidates)
        in_body = sent.index >= 0  # header lines neither set nor read the article's memory
        if candidates and DIRECT_QUESTION.match(sent.text.strip()):
            candidates = []  # "What action has the department taken to investigate ...?"
        resolved, agentless = [], set()
        words = set(WORD.findall(sent.text.lower()))
        for cand in candidates:
            actor, recipient = self._roles(ctx, sent, cand)
            if recipient and self._imposed(cand):
                # "curfew was imposed on Ahmedabad": the curfew is what was imposed, no one
                nouns = {c.idx for c in cand.token.children if c.dep_ == "nsubjpass"}
                recipient = [r for r in recipient
                             if r.start is None or r.start - sent.start not in nouns]
            if self._verbal_attack(ctx, sent, words, cand, actor, recipient):
                # "the CPI(M) leader attacked the BJP's allies": words, not force
                cand.event_type, cand.cameo, cand.mode = "ACCUSE", "111", "disapprove"
            self._stormed_by(cand, actor)
            if cand.cameo == "164" and actor and all(a.sector in ("CVL", "BUS", "EDU")
                                                     for a in actor):
                continue  # "tourists cancelled their trips": no relations are cut
            if cand.event_type == "CONSULT" and cand.mode == "visit" and actor:
                keys = set(self.analyzer.lemma_keys(cand.token))
                if keys & {"arrive", "fly"} and cand.actors and (
                        (all(a.sector in ("MIL", "COP") for a in actor)
                         and all(t.tag_ in ("NNS", "NNPS") for t in cand.actors))
                        or all(singular(t.lower_) in self._military_nouns
                               for t in cand.actors)):
                    # "Australian troops arrived in Honiara", "F-15 fighters and paratroopers
                    # arrived", "B-52 bombers flying from North Dakota": forces that come are
                    # deployed ("the army chief arrived in Cairo" visits)
                    cand.event_type, cand.cameo, cand.mode = "MOBILIZE", "154", "troops"
                elif all(a.sector == "CVL" for a in actor):
                    continue  # "pilgrims visit the shrine": no one is consulted
            if cand.event_type == "MOBILIZE" and cand.mode == "troops" and HELP_CUE.search(
                    sent.text) and actor and any(
                    r.country and r.country not in {a.country for a in actor} and (
                        r.sector == "GOV" or self.gazetteer.country(r.text, adjectives=False))
                    for r in recipient):
                # "sent troops to the Solomon Islands at the request of its prime minister",
                # "troops for a reassurance force in Ukraine": protection given (074)
                cand.event_type, cand.cameo, cand.mode = "AID", "074", None
            if "forces" in cand.flags and not self._forces_move(cand, actor):
                continue  # "troops poured into Lhasa" (not "crowds poured into the square")
            if cand.harm_without_agent and not actor:
                continue  # a disaster's or an accident's harm: no one attacked
            if self._in_play(words, cand, actor, recipient):
                continue  # "stormed to victory", "shares were battered": no force used
            if actor or recipient or _first_person(cand):
                resolved.append((cand, actor, recipient))
            elif ((cand.nominal or cand.token.dep_ in ("nsubj", "nsubjpass")
                   or self._imposed(cand) or self._victim_passive(cand))
                  and cand.event_type in AGENTLESS_TYPES or "forces" in cand.flags) \
                    and not cand.harm_without_agent:
                # ("armoured vehicles rolled into Almaty": forces of no one named)
                resolved.append((cand, actor, recipient))  # kept if the sentence places it
                agentless.add(id(cand))
        kept = {id(c) for c in _demands_of_protests([c for c, _, _ in resolved],
                                                    self._protest_nouns)}
        resolved = [r for r in resolved if id(r[0]) in kept]
        if not resolved:
            # a sentence with no event still dates its event nouns ("on Friday, a meet was
            # convened"): a later "the meet" takes that day
            if in_body and ctx.published is not None:
                self._date_nouns(ctx, doc, self.dates.find(sent.text, ctx.published))
            return []
        # without a publication date only dates that carry their year resolve
        dates = self.dates.find(sent.text, ctx.published)
        if in_body:
            # "later in the day", "hours later": the day the story last named
            taken = [(d.start, d.end) for d in dates]
            dates += [d for d in self.dates.anaphoric(sent.text, ctx.last_day)
                      if not any(a < d.end and d.start < b for a, b in taken)]
        size, quantities = self.quantities.extract(sent.text)
        kept = [c for c, _a, _r in resolved]
        date_for = self._assign_dates(doc, kept, dates)
        qty_for = _assign_quantities(doc, kept, sent.text, quantities)
        noun_day = {id(c): self._noun_day(ctx, c) for c in kept
                    if in_body and date_for.get(id(c)) is None}
        out = [self._mention(ctx, sent, doc, cand, actor, recipient, places,
                             date_for.get(id(cand)), size, qty_for[id(cand)],
                             noun_day.get(id(cand)))
               for cand, actor, recipient in resolved]
        if in_body:
            self._date_nouns(ctx, doc, dates)
        # "near Palmyra, one strike destroyed a tank": an attack with neither side named
        # stands when the sentence itself says where it happened (not the dateline)
        own = {(p.start + sent.start, p.end + sent.start) for p in places}
        pairs = [(m, cand) for m, (cand, _a, _r) in zip(out, resolved, strict=True)
                 if id(cand) not in agentless or (m.location is not None and (
                     m.location.start, m.location.end) in own)]
        out = [m for m, _c in pairs] + [b for m, cand in pairs
                                        if (b := _blame(m, cand)) is not None]
        if in_body:
            accusers = [m.actor for m in out if m.event_type == "ACCUSE" and m.actor]
            # the story's last day: a day it says something happened on (not one planned)
            days = [m.date for m in out if m.date_precision == "day" and m.date_text
                    and m.modality != "planned"
                    and (ctx.published is None or m.date <= ctx.published.isoformat())]
            if accusers:
                ctx.last_accusers = accusers[-1]
            if days:
                ctx.last_day = date.fromisoformat(days[-1])

        return _merge_same_event(_damage_of_attacks(self._joint_action(out, doc, sent)))

    def _joint_action(self, out: list[Mention], doc, sent) -> list[Mention]:
        """An attack or raid told as joint ("U.S. and Iraqi troops launched a joint
        offensive", "coordinated raids by Italian and Spanish police") is also the forces'
        cooperation (COOPERATE 062), unless the sentence tells one already."""
        if any(m.event_type == "COOPERATE" for m in out):
            return out
        m = next((m for m in out if m.event_type in ("ASSAULT", "COERCE") and not m.negated
                  and len({a.country for a in m.actor if a.country}) >= 2), None)
        if m is None or not any(c.dep_ in ("amod", "compound", "advmod") and c.lower_ in self._joint
                                and self._joint_noun(c.head) for c in doc):
            return out  # "joint offensive", "coordinated raids", "jointly raided"
        return [*out, replace(m, event_type="COOPERATE", cameo="062", mode=None,
                              quad_class=QUAD_CLASS["COOPERATE"], recipient=[], id=None,
                              size={})]

    def _joint_noun(self, tok) -> bool:
        """An act of force or an operation ("offensive", "raids", "operation")."""
        if tok.lower_ in ("operation", "operations", "campaign", "action", "crackdown"):
            return True
        rule = self.analyzer.match(tok, [])
        return rule is not None and rule.event_type in ("ASSAULT", "COERCE")

    def _sentence_countries(self, text: str, places: list[Place]) -> list[str]:
        """Countries a sentence names (country names, adjectives), in order."""
        found: list[tuple[int, str]] = [(p.start or 0, p.country) for p in places
                                        if p.feature == "country" and p.country]
        for m in CAPITALISED.finditer(text):
            iso = self.gazetteer.country(m.group(), adjectives=True)
            if iso:
                found.append((m.start(), iso))
        out: list[str] = []
        for _pos, iso in sorted(found):
            if iso not in out:
                out.append(iso)
        return out

    def _roles(self, ctx, sent, cand: Candidate) -> tuple[list[ActorRef], list[ActorRef]]:
        actor = self._refs(ctx, sent, cand.actors)
        if not actor and any(t.lower_ in FIRST_PERSON for t in cand.actors):
            # '"We condemn the attack," the Akali Dal president said': the speaker of the
            # reporting tail is who "we" is
            actor = self._tail_speaker(ctx, sent)
        recipient: list[ActorRef] = []
        # (an actor whose country is the article's guess does not hide a recipient of that
        # country: "the minister will meet his Chinese counterpart")
        own = {a.code for a in actor if not self._guessed(ctx, a)}
        # ("the Samajwadi Party chief accused the BJP": two parties of one code, both named)
        bodies = {a.name for a in actor if a.sector in BODY_SECTORS and a.name}
        for tier in cand.recipients:
            recipient = [r for r in self._refs(ctx, sent, tier) if r.code not in own or (
                bodies and r.sector in BODY_SECTORS and r.name and r.name not in bodies)]
            if recipient:
                break
        if "reciprocal" in cand.flags and not recipient and len(actor) > 1:
            recipient = list(actor)
        if cand.rebuts and not recipient:
            # "Minsk dismissed the Polish allegations", "Islamabad rejected the charge": the
            # charge's owner named in it, else the article's last accuser before
            obj = [t for c in cand.token.children if c.dep_ in ("dobj", "obj") for t in phrase(c)]
            owner = self._country_word(sent, [t for t in obj if t.dep_ in ("amod", "poss")])
            mine = {a.code for a in actor} | {a.country for a in actor if a.country}
            borrowed = ctx.last_accusers if sent.index >= 0 else []
            recipient = [owner] if owner is not None else [
                replace(r, start=None, end=None) for r in borrowed
                if r.code not in mine and r.country not in mine]
        if not actor and cand.event_type == "COERCE" and cand.mode == "arrest" \
                and cand.token.dep_ not in ("amod", "compound"):
            # "50 people were arrested": arrests are made by the police of the place
            country = ctx.default_country
            actor = [ActorRef(text="", name="police (implied)",
                              code=(country or "") + "COP", country=country, sector="COP")]
        if not actor and cand.event_type == "PROTEST":
            crowd = self._crowd(ctx, sent, cand)
            if crowd is not None:
                actor = [crowd]
        # "President Reagan warned Libya": a title's country guessed from the article is
        # not the country it addresses -- a state does not warn itself; leave it unknown
        sectors = {a.sector for a in actor}
        states = {r.country for r in recipient if r.country and (
            r.code == r.country or (r.sector in sectors and not self._guessed(ctx, r)))}
        actor = [replace(a, country=None, code=a.sector or "")
                 if a.country in states and a.sector == "GOV" and self._guessed(ctx, a)
                 else a for a in actor]
        if cand.event_type == "MOBILIZE" or (cand.event_type == "ASSAULT"
                                             and cand.mode == "aerial"):
            # "Russia massed troops", "Israel struck Gaza from the air": the state acts
            # through its military
            actor = [replace(a, sector="MIL", code=a.country + "MIL")
                     if a.country and a.code == a.country else a for a in actor]
        else:
            actor = [self._sector_of_country_word(sent, cand, a) for a in actor]
        return actor, recipient

    def _sector_of_country_word(self, sent, cand: Candidate, ref: ActorRef) -> ActorRef:
        """A country named only by its adjective or its people, acting: "Israeli shelling",
        "Chinese and Vietnamese naval vessels began a joint patrol" -- the state's military;
        "tens of thousands of Russians rallied", "Bolivian coca growers blocked the road" --
        its people, protesting. A state's own name ("Russia shelled") is left as it is."""
        if not ref.country or ref.code != ref.country or ref.start is None \
                or self.gazetteer.country(ref.text, adjectives=False):
            return ref
        if cand.event_type == "PROTEST":
            return replace(ref, sector="CVL", code=ref.country + "CVL")
        doc = cand.token.doc
        at = ref.start - sent.start
        tok = next((t for t in doc if t.idx == at), None)
        if tok is None or tok.dep_ not in ("amod", "compound", "conj", "nmod"):
            return ref
        head = tok.head
        while head.dep_ == "conj" and head.head.i != head.i:  # "Russian and Belarusian units"
            head = head.head
        if head.dep_ in ("amod", "compound", "conj", "nmod") and upos(head) == "ADJ":
            head = head.head
        military = self._military_nouns
        noun = singular(head.lower_)
        if noun in military or (cand.event_type == "ASSAULT" and (
                head.i == cand.token.i or noun in self._armed_words)):
            return replace(ref, sector="MIL", code=ref.country + "MIL")
        return ref

    def _guessed(self, ctx, ref: ActorRef) -> bool:
        """Whether an actor's country is a guess (the article's, for a generic word or a
        title): no word of its own names the country, and no dictionary entry gave it."""
        if (ref.start, ref.end) in ctx.guessed:
            return True
        return ref.name is None  # a name the dictionaries lack: its country is the article's

    def _names_its_country(self, ref: ActorRef, words: int | None = None) -> bool:
        """Whether one of the actor's own words (the first ``words``) names its country
        ("Kenyan police", "the Libyan foreign minister")."""
        info = self.actors.dictionary.countries.get(ref.country or "")
        own = {x.lower() for x in (info.name, info.adjective) if x} if info else set()
        # the dictionary's own words count too: states of the past ("Yugoslav", "Soviet")
        return any(self.gazetteer.country(w) == ref.country or w.lower() in own
                   for w in ref.text.split()[:words])

    def _crowd(self, ctx, sent, cand: Candidate) -> ActorRef | None:
        """ "Thousands of Tibetan exiles marched", "copper miners downed tools": a protest's
        subject that the dictionaries do not know is still its actor, a group of civilians
        (of the article's country, a guess) -- a protest is a crowd's act."""
        heads = [h for h in cand.actors if upos(h) in ("NOUN", "NUM", "PROPN")
                 and h.lower_ not in PRONOUNS]
        if heads and self._names_an_act(heads[0]):
            # "a strike call by separatist leaders protesting ...": who made the call; "the
            # bandh call to protest": an act, not a crowd
            heads = [g for c in heads[0].children if c.dep_ == "prep" and c.lower_ == "by"
                     for g in c.children if g.dep_ == "pobj"] + [
                c for c in heads[0].children if c.dep_ == "poss" and c.lower_ not in PRONOUNS]
            known = self._refs(ctx, sent, heads[:1])
            if known:
                return known[0]
        if not heads:
            return None
        toks = [t for t in phrase(heads[0]) if t.dep_ not in ("relcl", "acl", "punct")
                and not t.is_space]
        lo = min(t.idx for t in toks)
        hi = max(t.idx + len(t.text) for t in toks)
        if hi - lo > 80:
            return None
        country = ctx.default_country
        start = sent.start + lo
        ref = ActorRef(text=sent.text[lo:hi], name=sent.text[lo:hi],
                       code=(country or "") + "CVL", country=country, sector="CVL",
                       start=start, end=sent.start + hi)
        if country:
            ctx.guessed.add((ref.start, ref.end))
        return ref

    # -- one candidate -> Mention -----------------------------------------------------
    def _date_nouns(self, ctx, doc, dates) -> None:
        """Remember the event nouns a sentence's days date: the subject or object of the
        verb a day hangs on ("an all-party meet was convened on Friday"), or the noun
        itself ("the meeting on Friday")."""
        for d in dates:
            if d.precision != "day" or not d.text:
                continue
            ahead = getattr(d, "planned", False) or (
                ctx.published is not None and d.date > ctx.published)
            memory = ctx.planned_noun_days if ahead else ctx.noun_days
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            head = span.root.head.head if span.root.head.lower_ in ("on", "of") \
                else span.root.head
            nouns = [head] if upos(head) == "NOUN" else [
                c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
            for n in nouns:
                key = self._event_noun(n)
                if key is not None:
                    memory[key] = d.date

    def _verbal_attack(self, ctx, sent, words: set[str], cand: Candidate, actor,
                       recipient) -> bool:
        """An "attack" by a politician or a political body on another, in a sentence with
        no weapon, attacker, harm or crowd: criticism."""
        if cand.event_type != "ASSAULT":
            return False
        keys = set(self.analyzer.lemma_keys(cand.token))
        if keys & VERBAL_ATTACKS and WORDS_SETTING.search(sent.text) \
                and not words & self._force_words:
            # "were targeted in an attack launched by the congress president in the lok
            # sabha", "under attack from various quarters": words in a house, or blame
            return True
        if "attack" not in keys \
                or not actor or not all(a.sector in POLITICAL_SECTORS and a.code != a.country
                                        for a in actor):
            return False  # a state named as actor ("Russia attacked Ukraine") makes war
        if any(set(WORD.findall(a.text.lower())) & HARM_WORDS for a in actor):
            return False  # "supporters of the ruling party attacked a camp": a crowd's act
        if recipient and not all(r.sector in POLITICAL_SECTORS | {"REL", "MED", "NGO"}
                                 and r.code != r.country for r in recipient):
            return False
        if not recipient:
            # no one coded: the object must still name a political body ("the bjp allies")
            objs = [t for c in cand.token.children if c.dep_ in ("dobj", "obj") or (
                c.dep_ == "prep" and c.lower_ == "on") for t in c.subtree]
            spans = [(t.idx, t.idx + len(t.text)) for t in objs]
            if not any(m.ref.sector in POLITICAL_SECTORS and any(
                    a <= (m.ref.start or 0) < b for a, b in spans) for m in ctx.actors[sent.index]):
                return False
        return not words & self._force_words

    def _stormed_by(self, cand: Candidate, actor) -> None:
        """Storming, occupying and boycotts are told by who does them: police storming a
        campus raid it (COERCE 171), protesters storming parliament riot (PROTEST 145) and
        occupying it sit in (PROTEST 141), armed forces assault; students or workers
        boycotting protest (PROTEST 14), a state or a party sanctions."""
        if not actor or cand.event_type not in ("ASSAULT", "SANCTION"):
            return
        keys = self.analyzer.lemma_keys(cand.token)
        # "extended their boycott of white-owned shops": the light verb's object names it
        keys = [*keys, *(k for c in cand.token.children if c.dep_ in ("dobj", "obj")
                         for k in self.analyzer.lemma_keys(c))]
        crowd = all(a.sector in CROWD_SECTORS for a in actor)
        if cand.event_type == "SANCTION" and "boycott" in keys:
            # parties boycotting an election or a parliament sanction it
            if all(a.sector in CROWD_SECTORS - {"OPP", "PTY"} for a in actor):
                cand.event_type, cand.cameo, cand.mode = "PROTEST", "14", "boycott"
            return
        if cand.event_type != "ASSAULT" or cand.nominal:
            return
        if cand.mode in ("arson", "loot") and crowd and any(
                w in self._protesters for a in actor for w in (a.text or "").lower().split()):
            # "protesters set fire to the mayor's office", "rioters burned banks": a riot
            # (a mob torching homes is still an attack)
            cand.event_type, cand.cameo, cand.mode = "PROTEST", "145", "riot"
            return
        if "occupy" in keys and crowd:
            # "students occupied the Sorbonne": a sit-in, not a territorial capture
            cand.event_type, cand.cameo, cand.mode = "PROTEST", "141", "demonstrate"
            return
        if "storm" not in keys:
            return
        if all(a.sector == "COP" for a in actor):
            cand.event_type, cand.cameo, cand.mode = "COERCE", "171", "raid"
        elif crowd:
            cand.event_type, cand.cameo, cand.mode = "PROTEST", "145", "riot"

    def _in_play(self, words: set[str], cand: Candidate, actor, recipient) -> bool:
        """Force words in a game or a market ("Usain Bolt stormed to victory", "Hong Kong
        shares were battered", "Germany demolished Brazil 7-1 in the World Cup"): no
        weapon, wound or armed actor in the sentence, so nothing was attacked or seized; and
        no state or party in it, so nothing political happened at all. ``words``: the
        sentence's lower-case words."""
        if not words & self._play or words & self._real_force:
            return False
        if cand.event_type in ("ASSAULT", "COERCE"):
            return not any(a.sector in ARMED_SECTORS for a in (*actor, *recipient))
        # "European stocks rallied", "England conceded twice", "the coach resigned": no
        # state, party or armed body takes part, so no political event either
        return not any(a.sector in ARMED_SECTORS | STATE_SECTORS for a in (*actor, *recipient))

    def _names_an_act(self, tok) -> bool:
        """A noun that is an event's name ("call", "strike", "rally"), not who acts."""
        rule = self.analyzer.match(tok, [])
        return (rule is not None and rule.pos == "noun") or tok.lower_ in self._event_nouns

    def _imposed(self, cand: Candidate) -> bool:
        """A passive verb whose subject is a trigger noun of its type: "curfew was imposed
        in X" (no one named imposed it, but it was)."""
        for c in cand.token.children:
            rule = self.analyzer.match(c, []) if c.dep_ == "nsubjpass" else None
            if rule is not None and rule.is_event and rule.event_type == cand.event_type:
                return True
        return False

    def _forces_move(self, cand: Candidate, actor) -> bool:
        """Whether those who move are armed forces with a subject of their own: "troops
        poured into Lhasa", "armoured vehicles rolled into Almaty" (not "the crossing into
        Gaza", a noun the tagger read as a participle)."""
        tok = cand.token
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) and tok.tag_ == "VBG":
            return False
        if actor and all(a.sector in ARMED_SECTORS for a in actor):
            return True
        return bool(cand.actors) and all(
            singular(t.lower_) in self._troops or singular(t.lower_) == "vehicle" and any(
                c.lower_ in ARMOURED for c in t.children) for t in cand.actors)

    def _victim_passive(self, cand: Candidate) -> bool:
        """An attack told by its victim with no attacker named: "one person was stabbed to
        death in Surat", "a soldier who was killed in northern Iraq", "two people killed in
        Jalalabad", "shops were set on fire" (kept, like an event noun, when the sentence
        places it)."""
        tok = cand.token
        if cand.event_type != "ASSAULT" or tok.tag_ != "VBN" or cand.harm_without_agent \
                or any(c.dep_ == "agent" for c in tok.children):
            return False
        subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if subj is not None and subj.lower_ in ("who", "that") and tok.dep_ == "relcl":
            subj = tok.head  # "Keating, who was killed"
        if subj is None and tok.dep_ == "acl":
            subj = tok.head  # "two people killed in"
        if subj is not None and cand.mode == "arson":
            return True  # "three buses were torched in Ahmedabad": property set on fire
        return subj is not None and (upos(subj) == "PROPN" or singular(subj.lower_) in self._people)

    def _event_noun(self, tok) -> str | None:
        """The event noun a token is, in its singular form ("rallies" -> "rally")."""
        return next((form for form in (tok.lower_, singular(tok.lower_))
                     if form in self._event_nouns), None)

    def _noun_day(self, ctx, cand: Candidate) -> date | None:
        """The day of an event noun an earlier sentence dated, when the candidate's trigger,
        subject or object is that noun made definite ("The meet was attended by ...")."""
        # an asserted noun may still be one planned before ("a bandh on April 16. ... the
        # bandh will hit banks"); a planned one only a day ahead
        memory = ctx.planned_noun_days if cand.modality == "planned" else {
            **ctx.planned_noun_days, **ctx.noun_days}
        if not memory:
            return None
        tok = cand.token
        for n in [tok, *(c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj"))]:
            key = self._event_noun(n)
            day = memory.get(key) if key is not None else None
            if day is not None and upos(n) == "NOUN" and any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in n.children):
                return day
        return None

    def _mention(self, ctx, sent, doc, cand: Candidate, actor, recipient, places, dref, size,
                 quantities, noun_day: date | None = None):
        # places standing as actors are no locations; a recipient place is one for material
        # events and visits ("shelled Aleppo", "visited Cairo"), not for statements
        roles = actor if QUAD_CLASS[cand.event_type] in (2, 4) or cand.mode == "visit" \
            else actor + recipient
        role_spans = [(r.start - sent.start, r.end - sent.start) for r in roles
                      if r.start is not None]
        free = [p for p in places if not any(a < p.end and p.start < b for a, b in role_spans)]
        # the place in the trigger's clause that the words make the event's location, else
        # the article's dateline, else none
        # a protest's object is its cause ("against the killings in Gujarat"), as words are
        material = (cand.event_type in MATERIAL and cand.event_type not in TOPICAL) \
            or cand.mode == "visit"
        roles_of = place_roles(doc, cand.token, free, material,
                               nested_topic=not material and cand.event_type not in GATHERING
                               and cand.obj not in self._event_objects,
                               own_object=cand.obj in self._event_objects) if free else {}
        location = self.places.locate(
            sent.text, free, cand.start, cand.end, clause_spans(cand.token), roles=roles_of,
            movement=cand.mode in MOVEMENT_MODES or cand.event_type == "MOBILIZE",
            material=material) if free else None
        if location is not None and material and sent.index >= 0 \
                and roles_of.get((location.start, location.end)) != "setting" \
                and location.feature not in ("country", "admin1"):
            # where this act happened by its own words ("a mob torched shops in Modasa"),
            # not where its actor sits ("the government in Gandhinagar"): the next
            # sentences' unplaced acts happened there too
            ctx.last_place = (sent.index, _absolute_place(location, sent.start))
        if location is None and free:
            # none in its own clause: the scene a clause of time sets ("police burst
            # teargas shells as a mob torched houses in Prantij")
            scene = scene_spans(cand.token)
            if scene:
                location = self.places.locate(
                    sent.text, free, cand.start, cand.end, scene, roles=roles_of,
                    movement=cand.mode in MOVEMENT_MODES, material=material)
        location = _absolute_place(location, sent.start)
        if cand.event_type == "AID" and location is not None and location.country and actor \
                and location.country not in {a.country for a in actor}:
            # "an Air Force C-130 carrying blankets landed in Yangon", "opened a field
            # hospital in Mogadishu": aid delivered in a country the donor is not goes to it
            # (and "families" there are that country's, not the article's guess)
            there = location.country
            recipient = [replace(r, country=there, code=there + (r.sector or ""))
                         if self._guessed(ctx, r) and r.name is not None else r
                         for r in recipient] or [
                ActorRef(text=location.text, name=location.name, code=there, country=there,
                         sector=None, start=location.start, end=location.end)]
        dateline = ctx.dateline_at(sent.index)
        # in the lede a definite event noun is the news ("the daring raid on the temple
        # prompted an alert"), not an event the story looks back to
        recalled = cand.recalled and sent.index >= LEDE_SENTENCES
        if location is None and material and not recalled and ctx.last_place is not None \
                and (dref is None or dref.precision == "day") \
                and 0 <= sent.index - ctx.last_place[0] <= CARRY_SENTENCES \
                and (dateline is None or dateline.country == ctx.last_place[1].country):
            # "... in the kachiawada area of Modasa. Rival mobs fired at each other": a
            # material act the next sentences tell without a place of their own happened
            # where the story just was, not where it was filed
            location = replace(ctx.last_place[1])
        if location is None and dateline is not None and not recalled:
            # where the story was filed, unless the story and the event are other
            # countries' affair ("NAIROBI, Kenya — Somali and Ethiopian troops attacked")
            # (a generic actor's country -- "the police" -- is the focus's guess: no say)
            involved = {r.country for r in actor + recipient if r.country
                        and (r.start, r.end) not in ctx.guessed}
            home = dateline.country
            if not involved or home in involved or (ctx.focus and ctx.focus[0] == home):
                location = replace(dateline)
        if location is None and cand.mode == "visit" and cand.token.lemma_ == "host":
            # "Cambodia will host the summit": the host country is where it happens
            hosts = [r.country for r in actor if r.country and r.code == r.country]
            if hosts:
                location = self.gazetteer.country_place(hosts[0])
        if location is None:
            # "Kenyan police arrested ...", "Thai students marched ...": police, courts and
            # a country's own people act at home; the country is the place
            own = [a for a in actor if a.country and self._names_its_country(a, words=3)]
            home = home_country(cand.event_type, own, actor, recipient)
            if home is not None:
                location = self.gazetteer.country_place(home)

        modality = cand.modality
        if dref is not None:
            day, date_text, precision = dref.date.isoformat(), dref.text, dref.precision
            dstart, dend = sent.start + dref.start, sent.start + dref.end
            if getattr(dref, "planned", False) and modality == "asserted":
                modality = "planned"
            if ctx.published and dref.date > ctx.published and modality == "asserted":
                modality = "planned"
        elif noun_day is not None and modality in ("asserted", "planned"):
            # "the meet was attended by ...": the day an earlier sentence gave the meet; "the
            # bandh will hit banks": the day an earlier sentence planned it for
            day, date_text, precision, dstart, dend = noun_day.isoformat(), None, "day", None, None
            if ctx.published and noun_day > ctx.published:
                modality = "planned"
        elif recalled or (modality == "asserted" and (cand.undated_past or (
                cand.told_earlier and reporting_tail(sent.text) is None))):
            # "the attack on the train was so sudden", "advani recently met rss leaders": an
            # event the story looks back to, on a day the text does not give
            day, date_text, precision, dstart, dend = None, None, "unknown", None, None
        elif ctx.published and ctx.story_day is not None and sent.index >= ctx.story_from \
                and modality == "asserted":
            # a later sentence with no date of its own tells of the day the story named
            # ("police arrested 12 on Sunday. ... He said ..."): precision "story"
            day = ctx.story_day.isoformat()
            date_text, precision, dstart, dend = None, "story", None, None
        elif ctx.published and modality != "asserted":
            # "they will support us", "could attack": what is planned or only possible has
            # no day the text does not give (the publication day would be a wrong one)
            day, date_text, precision, dstart, dend = None, None, "unknown", None, None
        elif ctx.published:
            day = ctx.published.isoformat()
            date_text, precision, dstart, dend = None, "publication", None, None
        else:  # no publication date and none in the text: the date stays unknown
            day, date_text, precision, dstart, dend = None, None, "unknown", None, None

        cameo = cand.cameo
        if modality == "planned" and cand.event_type in PLANNED_CAMEO:
            cameo = PLANNED_CAMEO[cand.event_type]
        confidence = cand.confidence * 0.6 + (0.25 if actor else 0) + (0.1 if recipient else 0)
        confidence += 0.05 if dref is not None else 0
        confidence -= 0.1 if cand.nominal else 0
        confidence -= HEADER_PENALTY if sent.index < 0 else 0  # headlinese parses worse
        attribution = self._attribution(ctx, sent, doc, cand)
        own_size = {k: v for k, v in size.items()
                    if (k in ("dead", "injured") and cand.event_type == "ASSAULT")
                    or (k == "arrested" and cand.event_type == "COERCE")}
        return Mention(
            article_id=ctx.article.id, sentence=sent.text, sentence_index=sent.index,
            char_start=sent.start, char_end=sent.end,
            event_type=cand.event_type, cameo=cameo, quad_class=QUAD_CLASS[cand.event_type],
            confidence=round(max(0.05, min(0.99, confidence)), 3), mode=cand.mode,
            actor=actor, recipient=recipient, negated=cand.negated, modality=modality,
            date=day, date_text=date_text, date_precision=precision,
            date_start=dstart, date_end=dend, location=location, size=own_size,
            quantities=list(quantities), attribution=attribution,
            trigger=sent.text[cand.start:cand.end],
            trigger_start=sent.start + cand.start, trigger_end=sent.start + cand.end,
            part=ctx.parts.get(sent.index, "body"),
        )

    def _assign_dates(self, doc, candidates: list[Candidate], dates) -> dict[int, object]:
        """Each date goes to the nearest trigger above it in the parse; dates hanging on
        no trigger (on the reporting verb, say) go to triggers without a date of their own."""
        by_token = {c.token.i: c for c in candidates}
        own: dict[int, object] = {}
        loose = []
        anchor: dict[int, int | None] = {}  # a loose date's verb (the reporting verb, say)
        noun_dates: dict[int, object] = {}  # dates of nouns that are no events ("the 1921 incident")
        for d in dates:
            words = (doc.text[max(0, d.start - 12):d.start] + " " + d.text).lower().split()
            if any(w in PERIOD_END for w in words[-len(d.text.split()) - 1:][:2]):
                continue  # "remanded to police custody till April 1": when the period ends
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and len(span) > 1 and span[0].dep_ == "det":
                span = span[1:]  # "the 2015 nuclear deal": the year, not its article
            if span is None or len(span) == 0:
                loose.append(d)
                continue
            tok, hit = span.root, None
            for node in [tok, *tok.ancestors]:
                if node.i in by_token:
                    hit = by_token[node.i]
                    break
            if hit is not None and deep_noun_date(tok, span, hit.token):
                continue  # "withdrew the charges over the carnage on February 27"
            if hit is not None and tok.head.i != hit.token.i and modifies_noun(tok, span):
                continue  # "faulted the March 13 order": the order's date, not the faulting's
            lead = span.start + 1 if doc[span.start].lower_ in ("on", "of") else span.start
            before = doc[lead - 2] if lead >= 2 and doc[lead - 1].lower_ in ("on", "of") else None
            if hit is not None and before is not None and upos(before) == "NOUN" \
                    and before.lower_ in self._incidents and abs(hit.token.i - before.i) > 3:
                # "the carnage on February 27" however the parser hangs the date: the
                # incident right before it is what it dates
                hit = by_token.get(before.i)
                if hit is None:
                    continue
            if hit is not None and id(hit) not in own:
                own[id(hit)] = d
            elif hit is None and dates_a_noun(tok, span):
                noun = tok.head if tok.dep_ != "pobj" else tok.head.head
                noun_dates.setdefault(noun.i, d)
            elif hit is None:
                loose.append(d)
                anchor[id(d)] = next((t.i for t in [tok, *tok.ancestors]
                                      if upos(t) in ("VERB", "AUX")), None)
        for c in candidates:
            if id(c) in own:
                continue
            # "raided the camp on Wednesday, killing three": the head event's date
            above = next((by_token[a.i] for a in c.token.ancestors
                          if a.i in by_token and id(by_token[a.i]) in own), None)
            # "the incident in 1921 when a mob had burnt a police station": a clause hanging
            # on a dated noun tells of that day
            hung = next((noun_dates[a.head.i] for a in [c.token, *c.token.ancestors]
                         if a.dep_ in ("relcl", "acl", "advcl") and a.head.i in noun_dates), None)
            if above is not None:
                own[id(c)] = own[id(above)]
            elif hung is not None:
                own[id(c)] = hung
            else:
                # only a date of a verb above the trigger ("said on Monday that police
                # arrested"), not one of another clause ("the genocide that followed
                # February 27", "prevent them from building on March 15")
                above_ids = {a.i for a in c.token.ancestors} | {c.token.i}
                mine = [d for d in loose if anchor.get(id(d)) is None
                        or anchor[id(d)] in above_ids or framing(doc, anchor[id(d)], above_ids)]
                if mine:
                    own[id(c)] = min(mine, key=lambda d: abs(d.start - c.start))
        _days_before(doc, candidates, own)
        return own

    def _refs(self, ctx: ArticleContext, sent: Sentence, heads: Sequence) -> list[ActorRef]:
        out: list[ActorRef] = []
        seen: set = set()
        for h in heads:
            ref = self._ref_for_head(ctx, sent, h)
            if ref is None:
                continue
            partners = [replace(m.ref, start=sent.start + (m.ref.start or 0),
                                end=sent.start + (m.ref.end or 0))
                        for m in ctx.actors.get(sent.index, ()) if m.partner is not None
                        and ref.start is not None and m.partner[0] <= ref.start - sent.start
                        and ref.end - sent.start <= m.partner[1]]
            for r in [ref, *self._coordinated_countries(sent, h, ref), *partners]:
                if (r.code, r.name) not in seen:
                    seen.add((r.code, r.name))
                    out.append(r)
        return out

    def _coordinated_countries(self, sent: Sentence, head, ref: ActorRef) -> list[ActorRef]:
        """"Indian and Pakistani troops": the dictionary names one country; each
        coordinated country adjective adds the same kind of actor of its own country."""
        out = []
        mods = [m for m in head.children if m.dep_ in ("amod", "compound", "nmod")]
        # "the presidents of Bosnia, Serbia and Croatia": each country of the list
        mods += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        for mod in mods:
            conj = [c for t in [mod, *mod.children] if t is mod or t.dep_ == "conj"
                    for c in t.children if c.dep_ == "conj"]
            for adj in [mod, *conj] if conj else []:
                iso = self.gazetteer.country(adj.text)
                if iso and iso != ref.country:
                    start = sent.start + adj.idx
                    out.append(ActorRef(text=adj.text, name=adj.text,
                                        code=iso + (ref.sector or ""), country=iso,
                                        sector=ref.sector, start=start,
                                        end=start + len(adj.text)))
        return out

    def _ref_for_head(self, ctx: ArticleContext, sent: Sentence, head) -> ActorRef | None:
        matches = ctx.actors[sent.index]
        hs, he = head.idx, head.idx + len(head.text)
        containing = [m for m in matches if m.ref.start < he and hs < m.ref.end]
        chosen = max(containing, key=lambda m: m.ref.end - m.ref.start) if containing else None
        if chosen is None:
            if head.lower_ in PRONOUNS and upos(head) == "PRON":
                return self._coref(ctx, sent, head.idx, head.text, person=head.lower_ in PERSON_PRONOUNS)
            if upos(head) == "NOUN" and head.tag_ == "NNS" and any(
                    c.dep_ == "det" and c.lower_ in ("these", "those") for c in head.children):
                # "these organisations have also demanded": the bodies named before
                return self._coref(ctx, sent, head.idx, head.text)
            toks = [t for t in phrase(head) if t.dep_ != "conj" or t is head]
            lo = min(t.idx for t in toks)
            hi = max(t.idx + len(t.text) for t in toks)
            # "airstrikes against al-Qaida operatives killed ...": the target inside the
            # subject's phrase is not who acts
            aimed = [(t.idx, t.right_edge.idx + len(t.right_edge.text)) for t in head.subtree
                     if t.dep_ == "prep" and t.lower_ in TARGET_PREPS]
            inside = [m for m in matches if lo <= m.ref.start and m.ref.end <= hi] or \
                [m for m in matches if m.head and lo <= m.head[0] and m.head[1] <= hi]  # "protesters
            # from Peru" reaching past a phrase that stops before "from"
            inside = [m for m in inside if not any(a <= m.ref.start < b for a, b in aimed)]
            toks = [t for t in toks if not any(a <= t.idx < b for a, b in aimed)]
            if not inside:
                # "its battle to retake Aleppo": the possessive pronoun names the actor
                poss = next((c for c in head.children if c.dep_ == "poss"
                             and c.lower_ in PRONOUNS), None)
                if poss is not None:
                    return self._coref(ctx, sent, poss.idx, poss.text,
                                       person=poss.lower_ in PERSON_PRONOUNS)
                return self._country_word(sent, toks) or self._named_person(ctx, sent, head) \
                    or self._named_body(ctx, sent, head)
            chosen = inside[-1]
        ref = self._finish(ctx, sent, chosen)
        lead = _named_lead(head, chosen.ref.start)
        if lead is not None:
            # "Tuareg rebels", "M-19 guerrillas": the name the dictionary lacks stays in the text
            guessed = (ref.start, ref.end) in ctx.guessed
            ref = replace(ref, text=sent.text[lead:chosen.ref.end], start=sent.start + lead)
            if guessed and ctx.focus_by_places:
                # "Kurdish forces", "Resistance forces" near Manbij: a body of its own kind,
                # not the state of the place named
                ref = replace(ref, country=None, code=ref.sector or "")
            elif guessed:
                ctx.guessed.add((ref.start, ref.end))
        poss = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in PRONOUNS
                     and not chosen.ref.start <= c.idx < chosen.ref.end), None)
        if getattr(chosen, "generic", False) and poss is not None:
            # "its foreign office", "their army": the owner's country, not the article's
            owner = self._coref(ctx, sent, poss.idx, poss.text)
            if owner is not None and owner.country:
                ref = replace(ref, country=owner.country,
                              code=owner.country + (ref.sector or ""))
        return ref

    def _country_word(self, sent: Sentence, toks) -> ActorRef | None:
        """A country named only by an adjective or name in the phrase ("Israeli air
        strikes", "Ukraine's grain"): the country as actor, sector unknown."""
        for t in toks:
            if upos(t) in ("ADJ", "PROPN") and t.text[:1].isupper():
                iso = self.gazetteer.country(t.text)
                if iso and t.dep_ in ("poss", "compound", "amod") and upos(t.head) == "PROPN" \
                        and not self.gazetteer.country(t.head.text):
                    # "India's Tata Motors", "China's Huawei": a body of that country the
                    # dictionaries do not know, not its state
                    return None
                if iso:
                    start = sent.start + t.idx
                    return ActorRef(text=t.text, name=t.text, code=iso, country=iso,
                                    sector=None, start=start, end=start + len(t.text))
        return None

    def _named_person(self, ctx, sent, head) -> ActorRef | None:
        """A subject that is a proper name the dictionaries lack ("siddaramaiah urged",
        "Mr Rane accused"): a person of the article's country, sector unknown; not a place,
        a day or a month."""
        if head.dep_ not in ("nsubj", "nsubjpass", "pobj", "dobj") or not ctx.default_country \
                or ctx.focus_by_places:
            return None
        lower_name = upos(head) == "NOUN" and not any(c.isupper() for c in sent.text) \
            and head.dep_ == "nsubj" and not any(c.dep_ in ("det", "poss") for c in head.children)
        if upos(head) != "PROPN" and not lower_name:
            return None
        name_pos = ("PROPN", "NOUN") if lower_name else ("PROPN",)
        first = head
        while first.i > 0 and upos(first.nbor(-1)) in name_pos and first.nbor(-1).head.i == head.i \
                and first.nbor(-1).dep_ in ("compound", "nmod", "amod"):
            first = first.nbor(-1)  # "mr rane", "Madan Das", "vishwesha theertha swamiji"
        if head.dep_ == "dobj" and (lower_name or head.i == first.i):
            return None  # an object is a person by a full name only ("arrested Wei Jingsheng")
        if lower_name and ((head.i - first.i < 1 and not self._speaker_surname(head)) or any(
                t.lower_ in STOP_WORDS or t.lower_ in self.prefilter or t.lower_ in self._class_words
                for t in head.doc[first.i:head.i + 1])):
            return None  # in lower-cased text only a run of unknown words is a name
        text = sent.text[first.idx:head.idx + len(head.text)]
        low = text.lower()
        classes = self.lexicon.classes
        not_person = classes.get("BODY", frozenset()) | classes.get("HAZARD", frozenset()) \
            | STATE_WORDS
        if set(low.split()) & not_person:
            return None  # "the Soviet Union", "Typhoon Haiyan": a state or a storm, no person
        if low in WEEKDAYS or low in MONTHS or self.gazetteer.country(text) \
                or self.gazetteer.slots(text) or any(
                    p.start <= head.idx < p.end for p in self.places.find(sent.text)):
            return None
        return self._unlisted(ctx, sent, first.idx, text, person=True)

    def _speaker_surname(self, tok) -> bool:
        """One unknown lower-case word with no determiner that says something ("siddiqui
        said", "sharma added"): in lower-cased news, a surname."""
        if tok.tag_ not in ("NN", "NNS") or len(tok.text) < 4 or not tok.text.isalpha() \
                or tok.lower_.endswith("s"):
            return False
        rule = self.analyzer.match(tok.head, [])
        return rule is not None and "report" in rule.flags

    def _named_body(self, ctx, sent, head) -> ActorRef | None:
        """A subject naming a body the dictionaries lack by its kind and its words ("the
        editors guild of india", "the Raza Academy", "the all-India Christian Council"): an
        organisation of the article's country, sector unknown."""
        if head.dep_ not in ("nsubj", "nsubjpass") or not ctx.default_country \
                or ctx.focus_by_places \
                or head.lower_ not in self.lexicon.classes.get("BODY", ()):
            return None
        first = head
        while first.i > 0 and first.nbor(-1).head.i == head.i and first.nbor(-1).dep_ in (
                "compound", "amod", "nmod") and upos(first.nbor(-1)) in ("PROPN", "NOUN", "ADJ"):
            first = first.nbor(-1)
        end = head
        of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"
                   and c.i == head.i + 1), None)
        if of is not None:
            end = max(of.subtree, key=lambda t: t.i)
        if first is head and of is None:
            return None  # "the council": which one, the words do not say
        text = sent.text[first.idx:end.idx + len(end.text)]
        return self._unlisted(ctx, sent, first.idx, text, person=False)

    @staticmethod
    def _unlisted(ctx, sent, offset: int, text: str, person: bool) -> ActorRef:
        """An actor read from words the dictionaries lack (sentence offset ``offset``): of
        the article's country (a guess), sector unknown, remembered for "he" and "they"."""
        start = sent.start + offset
        ref = ActorRef(text=text, name=None, code=ctx.default_country,
                       country=ctx.default_country, sector=None, start=start,
                       end=start + len(text))
        ctx.guessed.add((ref.start, ref.end))
        ctx.named.setdefault(sent.index, []).append((ref, person))
        return ref

    def _finish(self, ctx, sent, match) -> ActorRef:
        ref = replace(match.ref, start=sent.start + match.ref.start, end=sent.start + match.ref.end)
        if getattr(match, "generic", False) and ref.country:
            ctx.guessed.add((ref.start, ref.end))  # the country came from the article
            before = sent.text[:match.ref.start].split()
            if ctx.focus_by_places and before and before[-1][:1].isupper() \
                    and before[-1].lower() not in STOP_WORDS:
                # "Kurdish forces", "Resistance forces" near Manbij: a body of its own kind,
                # not the state of the place named
                return replace(ref, country=None, code=ref.sector or "")
        if getattr(match, "generic", False) and not ref.country:
            if getattr(match, "kind", "") == "coref":
                # "the group", "the movement" (no sector of their own): a body named
                # before, not a state named by its country or capital
                found = self._coref(ctx, sent, match.ref.start, match.ref.text,
                                    sector=ref.sector, body=ref.sector is None)
                if found is not None:
                    return found
            country = ctx.default_country
            if country:
                ref = replace(ref, country=country, code=country + (ref.sector or ""))
                ctx.guessed.add((ref.start, ref.end))
        return ref

    def _coref(self, ctx, sent, pos: int, text: str, person: bool = False,
               sector: str | None = None, body: bool = False) -> ActorRef | None:
        """The nearest fitting actor before position ``pos`` of sentence ``sent``."""
        # body sentences look back up to five sentences (never into the headline); a
        # headline line only within itself
        stop = max(-1, sent.index - 6) if sent.index >= 0 else sent.index - 1
        s0 = sent.start + pos
        for idx in range(sent.index, stop, -1):
            matches = ctx.actors[idx]
            # names the dictionaries lack, read as actors in this sentence ("siddaramaiah")
            named = [(r.start, r) for r, is_person in ctx.named.get(idx, ())
                     if (is_person or not person) and r.start is not None
                     and (idx != sent.index or r.end <= s0)]
            if idx == sent.index:
                matches = [m for m in matches if m.ref.end <= pos]
            here, words = ctx.sentences[idx].start, ctx.sentences[idx].text
            fits = [(here + m.ref.start, m, False) for m in matches
                    if _antecedent_fits(m, person, sector)
                    and not (body and m.kind in STATE_NAME_KINDS)]
            fits += [(start, ref, True) for start, ref in named]
            if not fits:
                continue
            fits.sort(key=lambda f: f[0])
            pick = fits[-1]  # in the pronoun's own sentence (or any actor): the nearest
            if person and idx != sent.index:
                # in a sentence before, the person named first and not after a preposition:
                # "X said he had written to the prime minister. He ...": X
                plain = [f for f in fits if not _oblique(words, f[0] - here,
                                                         getattr(f[1], "possessive", False))]
                pick = plain[0] if plain else pick
            if pick[2]:
                ref = pick[1]
                ctx.guessed.add((s0, s0 + len(text)))  # its country is still the article's
                return replace(ref, name=ref.name or ref.text, text=text,
                               start=s0, end=s0 + len(text))
            base = self._finish(ctx, ctx.sentences[idx], pick[1])
            return replace(base, text=text, start=s0, end=s0 + len(text))
        return None

    def _tail_speaker(self, ctx, sent) -> list[ActorRef]:
        """The actor who speaks in a sentence's final reporting tail ("..., X said.")."""
        tail = reporting_tail(sent.text, quoted=True)
        if tail is None:
            return []
        inside = [m for m in ctx.actors[sent.index]
                  if tail.who_start <= m.ref.start and m.ref.end <= tail.who_end]
        return [self._finish(ctx, sent, max(inside, key=lambda m: m.ref.end - m.ref.start))] \
            if inside else []

    def _attribution(self, ctx, sent, doc, cand: Candidate) -> Attribution | None:
        if cand.speaker is None:
            tail = reporting_tail(sent.text)
            if tail is None:
                return None
            # the blanked reporting tail: its speaker ("…, the ministry said.")
            speaker = self._tail_speaker(ctx, sent)
            return Attribution(text=sent.text[tail.who_start:tail.who_end],
                               actor=speaker[0] if speaker else None)
        ref = self._ref_for_head(ctx, sent, cand.speaker)
        toks = phrase(cand.speaker)
        lo = min(t.idx for t in toks)
        hi = max(t.idx + len(t.text) for t in toks)
        if ref is not None and ref.start is not None and sent.start <= ref.start < sent.end:
            lo, hi = min(lo, ref.start - sent.start), max(hi, ref.end - sent.start)
        verb = cand.speaker.head
        if verb.idx >= hi and upos(verb) in ("VERB", "AUX"):
            hi = verb.idx + len(verb.text)
        before = sent.text[:lo].rstrip()
        if before.lower().endswith("according to"):
            lo = len(before) - len("according to")
        return Attribution(text=sent.text[lo:hi], actor=ref)


def _named_lead(head, start: int) -> int | None:
    """Where proper-noun modifiers right before an actor's words begin ("Tuareg" of "Tuareg
    rebels"), when the dictionary matched only the words after them; None if there are none."""
    lead = None
    for mod in reversed(list(head.lefts)):
        if mod.idx >= start:
            continue
        named = mod.dep_ in ("compound", "amod", "nmod") and mod.text[:1].isupper() \
            and (upos(mod) == "PROPN" or (upos(mod) == "ADJ" and mod.i > mod.sent.start))
        edge = mod.left_edge.idx
        gap = (lead if lead is not None else start) - (mod.idx + len(mod.text))
        if not named or gap > 1 or any(upos(t) not in ("PROPN", "ADJ", "PUNCT", "NUM")
                                       for t in mod.subtree):
            break
        lead = edge
    return lead


def header_sentences(article: Article) -> tuple[list[Sentence], dict[int, str]]:
    """The headline and subheadlines as sentences with negative indices in reading order
    (the last one -1), offsets into their own line; a line's clauses joined by a
    semicolon ("Say no to ceasefire call; Russia, China veto UN resolution") apart.
    Also each index's part: headline or subheadline."""
    lines = [("headline", article.headline)] + [("subheadline", t) for t in article.subheadlines]
    clauses: list[tuple[str, int, str]] = []
    for part, line in lines:
        if not line or not line.strip():
            continue
        for m in HEADER_CLAUSE.finditer(line):
            clauses.append((part, m.start(), m.group(0)))
    n = len(clauses)
    sentences = [Sentence(index=k - n, start=start, end=start + len(text), text=text)
                 for k, (_part, start, text) in enumerate(clauses)]
    return sentences, {k - n: part for k, (part, _s, _t) in enumerate(clauses)}


def _assign_quantities(doc, candidates: list[Candidate], text: str, quantities) -> dict:
    """A number goes to the trigger whose parse subtree holds it; numbers outside every
    trigger's subtree go to all of them."""
    out: dict[int, list] = {id(c): [] for c in candidates}
    by_token = {c.token.i: c for c in candidates}
    for q in quantities:
        pos = text.find(q.text) if q.text else -1
        owner = None
        span = doc.char_span(pos, pos + len(q.text), alignment_mode="expand") if pos >= 0 else None
        if span is not None and len(span):
            owner = next((by_token[t.i] for t in [span.root, *span.root.ancestors]
                          if t.i in by_token), None)
        for c in [owner] if owner is not None else candidates:
            out[id(c)].append(q)
    return out


FIRST_PERSON = frozenset({"i", "we"})


# the sectors of actors whose "attack" on one another is words ("attacked the government")
POLITICAL_SECTORS = frozenset({"GOV", "PTY", "OPP", "LEG"})
# words of force or harm that keep an "attack" an attack
HARM_WORDS = frozenset("killed injured wounded dead died hurt stabbed shot beaten beat "
                       "burnt burned torched stones stone looted lathis lathi swords guns "
                       "armed mob mobs crowd supporters workers activists cadres men "
                       "youths".split())
# words of attack that may be words ("attacked the government", "targeted in an attack")
VERBAL_ATTACKS = frozenset({"attack", "attacks", "attacked", "attacking", "target", "targeted",
                            "targeting", "assail", "assailed"})
# where an "attack" can only be words: on the floor of a house, or "under attack from"
WORDS_SETTING = re.compile(r"\b(?:in|on the floor of|inside) (?:the )?(?:lok sabha|rajya sabha|"
                           r"parliament|assembly|vidhan sabha|house|senate|legislature)\b"
                           r"|\bunder (?:\w+ )?attack from\b", re.I)
# harm to people: force used in earnest, whatever else the sentence is about
INJURY_WORDS = frozenset("killed killing kills injured injuring wounded wounding dead died "
                         "hurt stabbed arrested detained".split())
# "a day after", "two weeks before": how far a clause is counted from a dated one
SPAN_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
SPAN_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
               "seven": 7, "eight": 8, "nine": 9, "ten": 10}
# what a protest's participle says of it ("demanding", "refusing to leave", "vowing to stay")
PROTEST_SAYS = frozenset({"REQUEST", "REJECT", "THREATEN"})
# sectors of crowds: when they storm a building, they riot; when they boycott, they protest
CROWD_SECTORS = frozenset({"OPP", "CVL", "EDU", "LAB", "REL", "PTY"})
# sectors of states, parties and their institutions
STATE_SECTORS = frozenset({"GOV", "LEG", "JUD", "PTY", "OPP", "IGO"})
# sectors whose force is never a figure of speech
ARMED_SECTORS = frozenset({"MIL", "COP", "REB", "INS", "UAF", "SPY"})
# troops sent at a government's request or to keep the peace protect it (AID 074); "to help
# fight" them is still a deployment
HELP_CUE = re.compile(r"\bat the (?:request|invitation) of\b|\bpeace-?keeping\b|\b(?:reassurance|"
                      r"stabili[sz]ation|protection) force\b", re.IGNORECASE)
BODY_SECTORS = frozenset({"PTY", "OPP", "REL", "LAB", "NGO", "BUS", "MED"})  # distinct bodies
ARMOURED = frozenset({"armoured", "armored", "military", "army"})
# prepositions that name a target inside an acting noun's phrase ("strikes against ISIS")
TARGET_PREPS = frozenset({"against", "on", "targeting", "at"})
# prepositions before a person mentioned in passing, not as the one who acts or speaks
OBLIQUE_PREPS = frozenset("to with from for against of on about at into among between "
                          "toward towards than".split())


def _days_before(doc, candidates: list[Candidate], own: dict[int, object]) -> None:
    """"Placed on alert on Monday, a day after bombers attacked churches", "two days after
    a raid killed ...": an event in a clause so counted from a dated one happened that many
    days (weeks) before it, unless a date of its own stands inside the clause."""
    for after in doc:
        if after.lower_ not in ("after", "before") or after.dep_ not in ("mark", "prep"):
            continue
        unit = doc[after.i - 1] if after.i > 0 else after
        if unit.lower_ not in SPAN_UNITS:
            continue
        count = next((t for t in unit.children if t.dep_ in ("nummod", "det")), None)
        n = SPAN_COUNTS.get(count.lower_) if count is not None else None
        if n is None and count is not None and count.text.isdigit():
            n = int(count.text)
        if n is None:
            continue
        days = n * SPAN_UNITS[unit.lower_] * (1 if after.lower_ == "after" else -1)
        clause = after.head if after.dep_ == "mark" else next(
            (c for c in after.children if c.dep_ in ("pobj", "pcomp")), None)
        if clause is None:
            continue
        inside = {t.i for t in clause.subtree}
        for c in candidates:
            d = own.get(id(c))
            if c.token.i not in inside or d is None or d.precision != "day":
                continue
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and span.root.i in inside:
                continue  # the clause dates itself
            own[id(c)] = replace(d, date=d.date - timedelta(days=days))


def _demands_of_protests(candidates: list[Candidate],
                         protest_nouns: frozenset[str] = frozenset()) -> list[Candidate]:
    """"Protesters marched on the embassy demanding the closure of the bases", "rallies
    demanding his release", "staged a sit-in, refusing to leave", "began a hunger strike,
    vowing to continue", "marched to demand tougher laws": what a participle or a purpose
    adds to a protest (its demand, its refusal, its resolve) is what the protest is about,
    not a request, rejection or threat of its own."""
    # "popular protests calling for Assad's ouster": a demand the protest noun itself makes
    candidates = [c for c in candidates if not (
        c.event_type == "REQUEST" and not c.nominal and c.token.tag_ == "VBG"
        and c.token.dep_ == "acl" and c.token.head.lower_ in protest_nouns)]
    if not any(c.event_type == "PROTEST" for c in candidates):
        return candidates
    def said_by_participle(tok) -> bool:
        # the participle itself or a verb under it ("vowing to stay")
        for t in (tok, *tok.ancestors):
            if t.tag_ == "VBG" and t.dep_ in ("advcl", "acl", "xcomp", "conj", "dep", "relcl"):
                return True
            if t.dep_ in ("advcl", "xcomp") and purpose(t):
                return True  # "marched on Washington to demand tougher gun laws"
            if t.dep_ not in ("xcomp", "ccomp", "advcl", "conj") or t.tag_ == "VBG":
                return False
        return False

    return [c for c in candidates if not (
        c.event_type in PROTEST_SAYS and not c.nominal and said_by_participle(c.token))]


def _blame(m: Mention, cand: Candidate) -> Mention | None:
    """ "Gowda said the Gujarat government had failed to prevent the carnage": beside the
    failure (a negated COERCE of the government), the speaker's accusation of it (ACCUSE
    111), when the speaker is an actor other than the one who failed."""
    speaker = m.attribution.actor if m.attribution is not None else None
    if "failure" not in cand.flags or not m.negated or speaker is None or not m.actor \
            or speaker.code in {a.code for a in m.actor}:
        return None
    return replace(m, event_type="ACCUSE", cameo="111", mode="disapprove", negated=False,
                   quad_class=QUAD_CLASS["ACCUSE"], actor=[speaker], recipient=list(m.actor),
                   id=None, size={}, location=None)  # (where it was said is not known here)


def _all_caps(text: str) -> bool:
    """A line written in capitals: most of its words of four letters or more."""
    long = [w for w in ALPHA_RUN.findall(text) if len(w) > 3]
    return len(long) >= 3 and sum(w.isupper() for w in long) >= 0.8 * len(long)


def _antecedent_fits(m, person: bool, sector: str | None) -> bool:
    """Whether actor match ``m`` may be what a pronoun (a person's, or one of ``sector``)
    stands for."""
    if m.generic and not m.ref.country:
        return False
    if person and m.kind not in ("person", "title"):
        return False
    # ("the ministry" may stand for the government named before; "the centre" only for a
    # government, never for the court named before)
    return not (sector and m.ref.sector and m.ref.sector not in (sector, "GOV"))


def _oblique(text: str, start: int, possessive: bool = False) -> bool:
    """Whether the actor at ``start`` of ``text`` stands after a preposition or as a
    possessor: a less likely antecedent of a person pronoun than a subject."""
    if possessive:
        return True
    before = text[:start].split()
    k = len(before) - 1
    while k >= 0 and before[k].lower() in ("the", "a", "an", "his", "her", "their", "its"):
        k -= 1
    return k >= 0 and before[k].lower() in OBLIQUE_PREPS


def _first_person(cand: Candidate) -> bool:
    """"We agreed", "I condemn": the speaker acts, though the sentence does not name them
    (a statement's author, a quote's speaker); "denying the charges, he said": someone the
    text named before acted, though no actor before fits: the event stands with its actor
    unknown."""
    return any(t.lower_ in FIRST_PERSON or t.lower_ in ("he", "she") for t in cand.actors) \
        and not cand.nominal


def _absolute_place(place: Place | None, offset: int) -> Place | None:
    if place is None or place.start is None:
        return place
    return replace(place, start=place.start + offset, end=place.end + offset)


def _same_actors(a: set, b: set) -> bool:
    """Actor codes naming the same side, one more precisely ("USA" and "USAMIL" for "a U.S.
    strike hit ...")."""
    def fits(x, ys):
        return any(x and y and (x.startswith(y) or y.startswith(x)) for y in ys)
    return all(fits(x, b) for x in a) and all(fits(y, a) for y in b)


def _damage_of_attacks(mentions: list[Mention]) -> list[Mention]:
    """"Airstrikes killed 20 militants and destroyed eight vehicles": the destruction is the
    attack's, not a seizure of property of its own (CAMEO 1712 beside an ASSAULT by the same
    side, or by no side named)."""
    attackers = [{a.code for a in m.actor} for m in mentions if m.event_type == "ASSAULT"
                 and not m.negated]
    if not attackers:
        return mentions
    return [m for m in mentions if not (
        m.event_type == "COERCE" and m.cameo.startswith("1712") and not m.negated
        and any(not codes or not m.actor or codes == {a.code for a in m.actor}
                for codes in attackers))]


def _told_apart(a: Mention, b: Mention) -> bool:
    """Two mentions of a sentence that its words place or date apart ("curfew was imposed
    in Viramgam on Sunday, while curfew will continue in Sanand"): two events."""
    if a.mode and b.mode and a.mode != b.mode:
        return True  # "raided six monasteries and detained 200 monks": a raid and arrests
    if (a.mode == "abduct") != (b.mode == "abduct"):
        return True  # "ambushed a convoy, killing 37 and kidnapping others": two acts
    places = [m.location for m in (a, b) if m.location is not None
              and m.location.feature != "country" and m.location.start is not None]
    if len(places) == 2 and (places[0].name, places[0].country) != (places[1].name,
                                                                     places[1].country):
        return True
    return bool(a.date_text and b.date_text and a.date != b.date)


def _merge_same_event(mentions: list[Mention]) -> list[Mention]:
    """Several triggers of one event in a sentence ("seized ground ..., capturing five
    districts") become one mention; the strongest trigger stays, the details unite."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: -m.confidence):
        codes = {a.code for a in m.actor}
        for k in kept:
            kcodes = {a.code for a in k.actor}
            if (k.event_type == m.event_type and k.negated == m.negated
                    and k.modality == m.modality and not _told_apart(k, m)
                    and (codes == kcodes or not codes or not kcodes
                         or _same_actors(codes, kcodes))):
                if not k.actor or (codes != kcodes and codes and sum(map(len, codes)) > sum(
                        map(len, kcodes))):
                    k.actor = m.actor  # none, or the same side named more precisely
                if k.date_precision in VAGUE_DATES and m.date_precision not in VAGUE_DATES:
                    k.date, k.date_text, k.date_precision = m.date, m.date_text, m.date_precision
                    k.date_start, k.date_end = m.date_start, m.date_end
                if k.location is None or (k.location.feature == "country"
                                          and m.location is not None):
                    k.location = m.location or k.location
                rcodes = {r.code for r in k.recipient}
                k.recipient += [r for r in m.recipient if r.code not in rcodes]
                known = {(q.value, q.unit) for q in k.quantities}
                k.quantities += [q for q in m.quantities if (q.value, q.unit) not in known]
                for key, val in m.size.items():
                    k.size[key] = max(val, k.size.get(key, 0))
                if k.attribution is None:
                    k.attribution = m.attribution
                break
        else:
            kept.append(m)
    kept.sort(key=lambda m: (m.sentence_index, m.trigger_start or 0))
    return kept


def _scorer(finders: Sequence[Finder]):
    """A finder that scores raw sentences (the detector) also picks sentences to parse."""
    return next((f for f in finders if hasattr(f, "score")), None)
