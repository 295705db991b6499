"""Date expressions in a sentence, resolved against the article's publication date.

``DateResolver.find(text, published)`` returns ``DateRef``s (text, offsets, date, precision,
planned, range_end). The rules, for a paper published on Wednesday 2016-12-07:

* "today", "tonight", "this morning" → the publication day; "yesterday", "last night" →
  the day before; "tomorrow" → the day after (planned); "overnight" → the day before
  (``DateSettings.overnight="previous"``; "publication" keeps the publication day).
* A weekday ("Monday", "on Tuesday", "Saturday night", "last Friday"): past by default —
  the latest such day up to the publication day, so "on Monday" → 12-05, "on Tuesday" →
  12-06, and "on Wednesday" in a Wednesday paper → 12-07 (the same day;
  ``same_weekday="previous"`` makes it 11-30). "last Friday" is always before the
  publication day, and never the day before it ("last Tuesday" in this Wednesday paper is
  11-29: the day before would be "yesterday"). In a future context ("will meet on Monday", "next Monday") → the next
  such day after publication, planned. "for Tuesday or Wednesday" (planned, no future
  tense: a schedule announced earlier) → the nearest such days (12-06, range_end 12-07).
* "Tuesday or Wednesday", "Monday and Tuesday": the first, ``range_end`` the second.
* Calendar dates: "2016-12-05", "Dec. 5", "December 5", "5 December 2016", "the 5th of
  December", "on March 3", "feb 28"; without a year, the year that puts the date at or
  before publication (a week of slack), after it in a future context.
* Periods (date = the period's first day, precision week/month/year): "last week" (the
  Monday of last week), "this week", "next week", "last month", "this month", "earlier this
  month", "in March" (the latest March up to publication), "December 2016", "this year",
  "last year", "in 2011", "since 2011", "early 2016".
* "two days ago", "three weeks ago", "two weeks back", "a year ago", "in two days" (planned).
* Day ranges: "October 25-26, 2016", "25-26 October", "from October 25 to 26" → the first
  day, ``range_end`` the last.
* Years and decades recalled: "in 1975", "the 1984 riots", "the '85 riots" (year), "in
  the 1970s", "the 1990s violence" (precision ``decade``, the decade's first day).
* The same weekday as publication ("on Friday" in a Friday paper) is the publication day
  in the past and in the future tense alike; only "last/past Friday" (the week before),
  "next/coming Friday" (the week after) or a past perfect ("had met on Friday") move it.

Without a publication date (``published=None``) only what needs none is resolved: full
calendar dates with their year, month-year, years and decades.

Dates outside ``DateSettings.min_year..max_year`` and impossible dates are dropped; the
resolver never raises on any input. dateparser (RELATIVE_BASE = publication date,
PREFER_DATES_FROM = past) resolves the numeric forms ("05/12/2016", "5.12.2016").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from dateline.coding.numbers import NUMBER, parse_number

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
               "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
WEEKDAYS.update({"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                 "fri": 4, "sat": 5, "sun": 6})

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_LONG_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d|21\d\d)"
_DECADE = r"(?:1[89]\d0|20\d0)"
_DASH = r"(?:\s*[-–—]\s*|\s+(?:to|till|until|through)\s+)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_FUTURE = re.compile(r"\b(?:will|shall|won't|'ll|next|upcoming|proposed|scheduled|expected\s+to|due\s+to|"
                     r"set\s+to|plans?\s+to|planning\s+to|intends?\s+to|is\s+to|are\s+to|would\s+(?:be\s+held|take\s+place|begin|start|open|conclude)|"
                     r"to\s+be\s+held|going\s+to|later\s+this|coming|"
                     # an intent's infinitive: "has decided to launch a campaign from May 4"
                     r"(?:decided?|decides|vow(?:ed|s)?|threaten(?:ed|s)?|promis(?:ed|es)|"
                     r"pledg(?:ed|es)|resolved?|aims?|seeks?|hopes?|proposes?)\s+to)\b",
                     re.IGNORECASE)
# a past verb of saying: the day after it is when something was said
_PAST_REPORT = re.compile(r"\b(?:said|told|announced|added|stated|claimed|alleged|declared|"
                          r"asserted|warned|remarked|insisted|argued)\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.;!?]\s|\n")
# "on Friday, the day the party proposes to hold a rally": a day described as to come
_FUTURE_AFTER = re.compile(r",?\s+(?:the\s+day|when|the\s+date)\b[^.;,]{0,40}?\b(?:proposes?|plans?|intends?|is\s+set|are\s+set|is\s+scheduled|are\s+scheduled|is\s+due|are\s+due|hopes?|wants?)\s+to\b", re.I)

_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in [
    ("month_day_range", rf"\b({_MONTH})\s+({_DAY}){_DASH}({_DAY})(?!\d)(?:(?:,\s*|\s+)({_YEAR}))?\b(?!\s*(?:%|percent|per\s+cent))"),
    ("day_month_range", rf"\b({_DAY}){_DASH}({_DAY})(?:\s+of)?\s+({_MONTH})(?:,?\s+({_YEAR}))?\b"),
    ("decade", rf"\b(?:(in|during|since|by|from|of|through|throughout|until|till|the|early|mid|late)[\s-]+)(?:the\s+)?(?:(early|mid|late)[\s-]+)?({_DECADE})['’]?s\b"),
    ("iso", rf"\b({_YEAR})-(\d{{1,2}})-(\d{{1,2}})\b"),
    ("numeric", rf"\b(\d{{1,2}})[/.](\d{{1,2}})[/.]({_YEAR})\b"),
    ("day_month", rf"\b(?:the\s+)?({_DAY})(?:\s+of)?\s+({_MONTH})(?:,?\s+({_YEAR}))?\b"),
    # "early on the 28th", "since the 3rd": a day of the month the story is in (or the last)
    ("ordinal_day", rf"\b(?:(?:early|late)\s+)?(?:on|by|since|till|until)\s+the\s+([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b(?!\s*(?:of\s+)?{_MONTH})(?!\s+(?:day|anniversary|century|time|floor|round|minute|hour|week|month|year|amendment|division|battalion|regiment|brigade|fleet|army|corps|congress|parliament|edition|session))"),
    ("month_day", rf"\b({_MONTH})\s+({_DAY})(?!\d)(?:(?:,\s*|\s+)({_YEAR}))?\b(?!\s*(?:%|percent|per\s+cent))"),
    ("month_year", rf"\b(?:(early|mid|late|end\s+of|beginning\s+of)[\s-]+)?({_MONTH})(?:\s+of)?,?\s+({_YEAR})\b"),
    ("in_month", rf"\b(in|since|by|until|till|during|from|early|mid|late|last|this|next|earlier\s+in|later\s+in)[\s-]+({_MONTH})(?![\w-])(?!\s+\d)"),
    ("weekday_pair", rf"\b(?:on\s+|for\s+|between\s+)?({_LONG_WD})\s+(or|and|to)\s+({_LONG_WD})\b"),
    ("weekday", rf"\b(?:(on|last|this|next|since|by|until|for|past|coming|early|late)\s+)?({_LONG_WD}){_PART}\b"),
    ("relative_day", r"\b(the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|earlier\s+today|"
                     r"yesterday|today|tonight|tomorrow|last\s+night|overnight|this\s+(?:morning|afternoon|evening))\b"),
    ("ago", rf"\b({NUMBER}|a|an|a\s+few|several)\s+(days?|weeks?|months?|years?)\s+(ago|earlier|before|back)\b"),
    ("in_n", rf"\b(?:in|within)\s+({NUMBER}|a|an)\s+(days?|weeks?|months?|years?)(?:'s?\s+time)?\b"),
    ("period", r"\b(earlier|later|at\s+the\s+(?:start|beginning|end)\s+of|by\s+the\s+end\s+of|the\s+end\s+of|"
               r"since\s+the\s+start\s+of)?\s*\b(last|this|next|past|previous|coming)\s+(week|weekend|month|year)\b"),
    ("the_weekend", r"\b(?:over|at|during)\s+the\s+weekend\b"),
    ("short_year", r"\b(in|of|the|since|during)\s+['’](\d\d)\b(?!\s*(?:%|per))"),
    ("year", rf"\b(in|since|by|until|till|during|from|of|early|mid|late|before|after|around|throughout|year|the)[\s-]+({_YEAR})\b(?!\s*(?:%|percent|per\s+cent|people|persons|troops|soldiers|policemen|km|kilomet|meters|metres|dollars|rupees|crore|lakh|[-–]\s*\d))"),
]]


# the story's last date, or days after it: "later in the day", "hours later", "the same
# day"; "the next day", "a day later", "two days later"
_ANAPHORIC = re.compile(
    r"\b(?:(?P<same>later\s+(?:in\s+the|that)\s+day|earlier\s+(?:in\s+the|that)\s+day|"
    r"(?:a\s+few\s+|several\s+|two\s+|three\s+)?hours\s+(?:later|earlier)|the\s+same\s+day|"
    r"later\s+that\s+(?:morning|afternoon|evening|night)|that\s+(?:morning|afternoon|evening|night))|"
    r"(?:the\s+(?:next|following)\s+day|(?P<n>a|one|two|three|four|five|six|seven|\d)\s+"
    r"days?\s+later))\b", re.IGNORECASE)
# "their first talks in five years": a span of time, not a date
_SUPERLATIVE_BEFORE = re.compile(
    r"\b(?:first|last|worst|best|biggest|largest|highest|lowest|longest|deadliest|"
    r"strongest|heaviest|fastest|greatest|sharpest|most|only)\b[^.;]*$", re.IGNORECASE)
# patterns that resolve without a publication date (when they carry their year)
_ABSOLUTE = frozenset({"month_day_range", "day_month_range", "decade", "iso", "numeric",
                       "day_month", "month_day", "month_year", "year"})
# a word that sets a schedule before a date: "from March 15", "by March 31", "till April 2"
_SCHEDULE = re.compile(r"\b(?:from|till|until|by|before|deadline\s+of)\s+$|"
                       # "a bandh on April 16", "polls on May 5": a happening set for a day
                       r"\b(?:bandh|hartal|strike|rally|march|protest|dharna|meeting|meet|talks|"
                       r"summit|poll|polls|election|elections|vote|referendum|visit|hearing)\s+"
                       r"on\s+$", re.I)
# "had met on Friday": a past perfect puts a weekday before the publication week
_PAST_PERFECT = re.compile(r"\bhad\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7}


@dataclass(frozen=True)
class DateRef:
    """A resolved date expression: ``date`` is the day, or the first day of the week,
    month or year for the coarser precisions."""

    text: str
    start: int
    end: int
    date: date
    precision: str  # day | week | month | year | decade
    planned: bool = False
    range_end: date | None = None


@dataclass(frozen=True)
class DateSettings:
    same_weekday: str = "today"  # "today" | "previous": a weekday named on that weekday
    overnight: str = "previous"  # "previous" | "publication"
    min_year: int = 1800
    max_year: int = 2199
    slack_days: int = 7  # a month-day without a year may lie this far after publication
    # ... and this far after a schedule word ("from March 15", "by March 31" in a paper of
    # March 1: this year's, ahead, planned)
    schedule_days: int = 60
    date_order: str = "DMY"  # numeric dates (dateparser DATE_ORDER)
    extra: dict[str, Any] = field(default_factory=dict)  # more dateparser settings


class DateResolver:
    """Finds and resolves date expressions (rules in the module docstring); no I/O."""

    def __init__(self, settings: DateSettings | None = None) -> None:
        self.settings = settings or DateSettings()

    def find(self, text: str, published: date | datetime | None,
             future: bool | None = None) -> list[DateRef]:
        """Date expressions in ``text`` resolved against ``published``. ``future`` forces
        (True) or forbids (False) the future reading; None detects it from the clause.
        With ``published`` None only the expressions that need no reference are found."""
        if not text:
            return []
        pub = published.date() if isinstance(published, datetime) else published
        found: list[DateRef] = []
        for name, rx in _PATTERNS:
            if pub is None and name not in _ABSOLUTE:
                continue
            for m in rx.finditer(text):
                try:
                    ref = getattr(self, "_" + name)(m, text, pub, future)
                except (ValueError, OverflowError, TypeError, KeyError, AttributeError):
                    ref = None
                if ref is not None and self._valid(ref):
                    found.append(ref)
        found.sort(key=lambda r: (r.start, -(r.end - r.start)))
        out: list[DateRef] = []
        for r in found:
            if out and r.start < out[-1].end:
                continue
            out.append(r)
        return out

    def anaphoric(self, text: str, last: date | None) -> list[DateRef]:
        """Expressions dated by the story's last date ("later in the day", "hours later",
        "the next day", "two days later"), resolved against ``last``; none without it."""
        if last is None:
            return []
        out = []
        for m in _ANAPHORIC.finditer(text):
            word = (m.group("n") or "").lower()
            n = 0 if m.group("same") else (
                int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1))
            if n > 7:
                continue
            day = last + timedelta(days=n)
            out.append(DateRef(text=m.group(0), start=m.start(), end=m.end(), date=day,
                               precision="day"))
        return out

    # -- helpers ----------------------------------------------------------------------
    def _valid(self, ref: DateRef) -> bool:
        s = self.settings
        return s.min_year <= ref.date.year <= s.max_year and (
            ref.range_end is None or s.min_year <= ref.range_end.year <= s.max_year)

    @staticmethod
    def _ref(m: re.Match, d: date, precision: str, planned: bool = False,
             range_end: date | None = None, group: int = 0) -> DateRef:
        start, end = m.span(group)
        text = m.string[start:end]
        lead = len(text) - len(text.lstrip())
        return DateRef(text.strip(), start + lead, start + lead + len(text.strip()), d,
                       precision, planned, range_end)

    @staticmethod
    def _future(text: str, start: int, end: int, future: bool | None) -> bool:
        if future is not None:
            return future
        clause_start = 0
        for cm in _CLAUSE_START.finditer(text, 0, start):
            clause_start = cm.end()
        before = text[clause_start:start]
        after = text[end:end + 60]
        last = max(_FUTURE.finditer(before), key=lambda m: m.start(), default=None)
        if last is not None and _PAST_REPORT.search(before, last.end()):
            # "'the law will be misused,' he told reporters on Friday": the future is the
            # quote's, the day the telling's
            last = None
        return bool(last is not None or re.match(r"\s*(?:will|is\s+to|are\s+to)\b", after, re.I)
                    or _FUTURE_AFTER.match(after))

    @staticmethod
    def _for_before(text: str, start: int) -> bool:
        return bool(re.search(r"\b(?:for|scheduled|planned|set)\s+(?:on\s+)?$", text[max(0, start - 16):start], re.I))

    def _weekday_date(self, pub: date, wd: int, mode: str) -> date:
        delta = (pub.weekday() - wd) % 7
        if delta == 0 and mode in ("future", "past", "nearest") \
                and self.settings.same_weekday == "today":
            return pub  # "on Friday" in a Friday paper: that day, whatever the tense
        if mode == "future" or mode == "next":
            return pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
        if mode == "nearest":
            back = pub - timedelta(days=delta)
            ahead = pub + timedelta(days=(wd - pub.weekday()) % 7)
            return back if (pub - back) <= (ahead - pub) else ahead
        if mode == "last":
            # "last Wednesday" in a Thursday paper: yesterday would be "yesterday"; the
            # Wednesday of the week before
            return pub - timedelta(days=delta + 7 if delta <= 1 else delta)
        if mode == "strict_past" or (delta == 0 and self.settings.same_weekday == "previous"):
            return pub - timedelta(days=delta or 7)
        return pub - timedelta(days=delta)

    def _year_for(self, pub: date, month: int, day: int, future: bool,
                  schedule: object = None) -> date:
        d = date(pub.year, month, day)
        if future:
            return d if d >= pub else date(pub.year + 1, month, day)
        slack = self.settings.schedule_days if schedule else self.settings.slack_days
        return d if d <= pub + timedelta(days=slack) else date(pub.year - 1, month, day)

    # -- the patterns -----------------------------------------------------------------
    def _iso(self, m, text, pub, future):
        return self._ref(m, date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day")

    def _numeric(self, m, text, pub, future):
        import dateparser

        order = self.settings.date_order
        settings = {"RELATIVE_BASE": datetime(pub.year, pub.month, pub.day),
                    "PREFER_DATES_FROM": "past", "DATE_ORDER": order, "STRICT_PARSING": True,
                    **self.settings.extra}
        parsed = dateparser.parse(m.group(0), settings=settings, languages=["en"])
        return self._ref(m, parsed.date(), "day") if parsed else None

    def _day_month(self, m, text, pub, future):
        day, month = int(re.sub(r"\D", "", m.group(1))), MONTHS[m.group(2).lower().rstrip(".")]
        if m.group(3):
            return self._ref(m, date(int(m.group(3)), month, day), "day")
        if pub is None:
            return None
        fut = self._future(text, m.start(), m.end(), future)
        d = self._year_for(pub, month, day, fut, _SCHEDULE.search(text[max(0, m.start() - 20):m.start()]))
        return self._ref(m, d, "day", planned=fut or d > pub)

    def _ordinal_day(self, m, text, pub, future):
        day = int(m.group(1))
        if pub is None or self._future(text, m.start(), m.end(), future):
            return None  # a coming "the 15th" needs its month
        d = date(pub.year, pub.month, 1)
        while True:  # the latest such day on or before publication
            try:
                cand = d.replace(day=day)
            except ValueError:
                cand = None
            if cand is not None and cand <= pub:
                return self._ref(m, cand, "day")
            d = (d - timedelta(days=1)).replace(day=1)
            if (pub - d).days > 62:
                return None

    def _month_day(self, m, text, pub, future):
        word = m.group(1).lower().rstrip(".")
        if word == "may" and not m.group(1)[0].isupper() and not m.group(3) and not re.search(
                r"\b(?:on|of|till|by|since|from|until|before|after|dated|between|and)\s+$",
                text[max(0, m.start() - 10):m.start()], re.I):
            return None  # "they may 5 times": the verb
        month, day = MONTHS[word], int(re.sub(r"\D", "", m.group(2)))
        if m.group(3):
            return self._ref(m, date(int(m.group(3)), month, day), "day")
        if pub is None:
            return None
        fut = self._future(text, m.start(), m.end(), future)
        d = self._year_for(pub, month, day, fut, _SCHEDULE.search(text[max(0, m.start() - 20):m.start()]))
        return self._ref(m, d, "day", planned=fut or d > pub)

    def _month_year(self, m, text, pub, future):
        month = MONTHS[m.group(2).lower().rstrip(".")]
        return self._ref(m, date(int(m.group(3)), month, 1), "month")

    def _in_month(self, m, text, pub, future):
        lead, word = m.group(1).lower(), m.group(2).lower().rstrip(".")
        if word == "may" and not m.group(2)[0].isupper():
            return None  # "in may" is too often the verb
        if word == "march" and lead in ("in", "from", "during") and re.match(r"\s+(?:to|against|on|by|of|through)\b", text[m.end():], re.I):
            return None  # "a rally in march to the parliament"
        month = MONTHS[word]
        fut = lead.startswith("later") or lead == "next" or (
            lead not in ("last", "since", "earlier in") and self._future(text, m.start(), m.end(), future))
        year = pub.year
        if fut:
            if month < pub.month or (lead == "next" and month <= pub.month):
                year += 1
        elif month > pub.month or (lead == "last" and month >= pub.month):
            year -= 1
        return self._ref(m, date(year, month, 1), "month", planned=fut and date(year, month, 1) > pub)

    def _weekday_pair(self, m, text, pub, future):
        first, second = WEEKDAYS[m.group(1).lower()], WEEKDAYS[m.group(3).lower()]
        planned, mode = self._weekday_mode(text, m, future, None)
        d1 = self._weekday_date(pub, first, mode)
        d2 = d1 + timedelta(days=(second - first) % 7)
        return self._ref(m, d1, "day", planned=planned, range_end=d2)

    def _weekday_mode(self, text, m, future, lead):
        if lead in ("next", "coming"):
            return True, "next"
        if lead == "last":
            return False, "last"
        if lead == "past":
            return False, "strict_past"
        if self._future(text, m.start(), m.end(), future):
            return True, "future"
        if self._for_before(text, m.start()) or (m.group(0).lower().startswith("for ")):
            return True, "nearest"
        clause = text[max(0, m.start() - 60):m.start()]
        if future is None and _PAST_PERFECT.search(clause.rsplit(",", 1)[-1].replace(" on", "")):
            return False, "strict_past"
        return False, "past"

    def _weekday(self, m, text, pub, future):
        lead = (m.group(1) or "").lower()
        word = m.group(2)
        planned, mode = self._weekday_mode(text, m, future, lead)
        return self._ref(m, self._weekday_date(pub, WEEKDAYS[word.lower()], mode), "day", planned=planned)

    def _relative_day(self, m, text, pub, future):
        w = re.sub(r"\s+", " ", m.group(1).lower())
        if w == "overnight":
            return self._ref(m, pub - timedelta(days=1) if self.settings.overnight == "previous" else pub, "day")
        offsets = {"yesterday": -1, "last night": -1, "the day before yesterday": -2,
                   "tomorrow": 1, "the day after tomorrow": 2}
        off = offsets.get(w, 0)
        return self._ref(m, pub + timedelta(days=off), "day", planned=off > 0)

    @staticmethod
    def _amount(word: str) -> int | None:
        w = word.lower()
        if w in ("a", "an"):
            return 1
        if w in ("a few", "several"):
            return 3
        v = parse_number(w)
        return int(v) if v is not None and v == int(v) and 0 < v < 10_000 else None

    def _shift(self, pub: date, n: int, unit: str) -> tuple[date, str]:
        unit = unit.rstrip("s")
        if unit == "day":
            return pub + timedelta(days=n), "day"
        if unit == "week":
            d = pub + timedelta(weeks=n)
            return d - timedelta(days=d.weekday()), "week"
        if unit == "month":
            months = pub.year * 12 + pub.month - 1 + n
            return date(months // 12, months % 12 + 1, 1), "month"
        return date(pub.year + n, 1, 1), "year"

    def _ago(self, m, text, pub, future):
        n = self._amount(m.group(1))
        if n is None:
            return None
        d, precision = self._shift(pub, -n, m.group(2))
        return self._ref(m, d, precision)

    def _in_n(self, m, text, pub, future):
        n = self._amount(m.group(1))
        if n is None or _SUPERLATIVE_BEFORE.search(text[max(0, m.start() - 60):m.start()]):
            return None  # "the first talks in five years", "the worst floods in a decade"
        if n == 1 and m.group(2).lower() == "day" and not re.match(r"\s+or\b", text[m.end():]):
            return None  # "3,000 were killed in one day": how long, not when
        d, precision = self._shift(pub, n, m.group(2))
        return self._ref(m, d, precision, planned=True)

    def _period(self, m, text, pub, future):
        qualifier = (m.group(1) or "").lower()
        which, unit = m.group(2).lower(), m.group(3).lower()
        n = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
        if unit == "weekend":
            # the Saturday of the weekend meant: "this weekend" on a weekday is the coming one
            last_sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
            in_weekend = pub.weekday() >= 5
            if n < 0:
                sat = last_sat - timedelta(weeks=1) if in_weekend else last_sat
            elif n == 0:
                sat = last_sat if in_weekend else last_sat + timedelta(weeks=1)
            else:
                sat = last_sat + timedelta(weeks=1)
            return self._ref(m, sat, "day", planned=sat > pub, range_end=sat + timedelta(days=1))
        d, precision = self._shift(pub, n, unit)
        planned = n > 0 or qualifier.startswith("later")
        return self._ref(m, d, precision, planned=planned)

    def _the_weekend(self, m, text, pub, future):
        fut = self._future(text, m.start(), m.end(), future)
        sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
        if fut and sat < pub - timedelta(days=1):
            sat += timedelta(weeks=1)
        return self._ref(m, sat, "day", planned=sat > pub, range_end=sat + timedelta(days=1))

    def _year(self, m, text, pub, future):
        year = int(m.group(2))
        if m.group(1).lower() == "of" and re.search(r"\b(?:total|sum|number|tally|count|score|figure|population|crowd|batch|maximum|minimum|average|out|lot|set|force|contingent|strength|toll|group|team)\s+of\s*$", text[:m.start(2)], re.I):
            return None  # "a total of 2011" is a number; "the floods of 1975" a year
        if m.group(1).lower() == "the" and re.match(r"\s+(?:and|or|to|,|\.)", text[m.end():]):
            return None  # "the 2002 and 2003 figures" are fine, "the 2002." is odd: skip
        return self._ref(m, date(year, 1, 1), "year",
                         planned=pub is not None and date(year, 1, 1) > pub, group=0)

    def _short_year(self, m, text, pub, future):
        """ "the '85 riots", "in '92": the latest such year up to publication."""
        if pub is None:
            return None
        yy = int(m.group(2))
        year = pub.year - (pub.year - yy) % 100
        return self._ref(m, date(year, 1, 1), "year")

    def _range(self, m, text, pub, future, month: int, first: int, last: int,
               year: str | None) -> DateRef | None:
        if last <= first:
            return None
        if year:
            y = int(year)
            return self._ref(m, date(y, month, first), "day", range_end=date(y, month, last))
        if pub is None:
            return None
        fut = self._future(text, m.start(), m.end(), future)
        d1 = self._year_for(pub, month, first, fut)
        return self._ref(m, d1, "day", planned=fut, range_end=date(d1.year, month, last))

    def _month_day_range(self, m, text, pub, future):
        word = m.group(1).lower().rstrip(".")
        if word == "may" and not m.group(1)[0].isupper() and not m.group(4):
            return None
        return self._range(m, text, pub, future, MONTHS[word], int(re.sub(r"\D", "", m.group(2))),
                           int(re.sub(r"\D", "", m.group(3))), m.group(4))

    def _day_month_range(self, m, text, pub, future):
        return self._range(m, text, pub, future, MONTHS[m.group(3).lower().rstrip(".")],
                           int(re.sub(r"\D", "", m.group(1))),
                           int(re.sub(r"\D", "", m.group(2))), m.group(4))

    def _decade(self, m, text, pub, future):
        lead, part, decade = (m.group(1) or "").lower(), (m.group(2) or "").lower(), int(m.group(3))
        if lead in ("early", "mid", "late"):
            part = part or lead
        start = decade + {"mid": 3, "late": 6}.get(part, 0)
        return self._ref(m, date(start, 1, 1), "decade",
                         planned=pub is not None and date(decade, 1, 1) > pub)
