"""Publication dates in article headers, metadata fields and file names.

Fast regular expressions cover the common English shapes ("December 07, 2016",
"7 Dec 2016", ISO 8601, RFC 822, with an optional time and zone before or after
the date); ``dateparser`` is the fallback for anything else in a metadata field.
A datetime is timezone-aware only when the input names a zone.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
          r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_MDY = re.compile(rf"\b{_MONTH}\.?\s+{_DAY},?\s+(?P<year>(?:1[89]|2[01])\d\d)\b", re.I)
_DMY = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+(?P<year>(?:1[89]|2[01])\d\d)\b", re.I)
_ISO = re.compile(
    r"\b(?P<year>(?:1[89]|2[01])\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)"
    r"(?:[T ](?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-][01]\d:?[0-5]\d)?)?(?![\d])"
)
# month and day without a year: news-agency datelines ("BEIRUT, Dec 6 (Reuters) -")
_MD = re.compile(rf"\b{_MONTH}\.?\s+{_DAY}\b(?!,?\s*\d)", re.I)
_ZONE = r"(?:(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|Z|[+-][01]\d:?[0-5]\d|(?-i:[A-Z]{2,5}))"
_TIME = (r"(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
         rf"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?(?:\s*\(?(?P<tz>{_ZONE})\)?(?![A-Za-z]))?")
_TIME_AFTER = re.compile(r"[\s,|@-]*(?:at\s+)?" + _TIME, re.I)
_TIME_BEFORE = re.compile(_TIME + r"[\s,|-]*(?:on\s+)?$", re.I)
_YEAR4 = re.compile(r"(?:1[89]|2[01])\d\d")
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?([01]\d)[-_.]?([0-3]\d)(?!\d)")
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2}):?(\d{2})?$", re.I)


@dataclass
class FoundDate:
    value: datetime
    start: int
    end: int


def _zone(token: str | None) -> timezone | None:
    """A tzinfo for a zone token, or None when the token is unknown."""
    if not token:
        return None
    token = token.strip()
    if token.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    m = _OFFSET.match(token)
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    from dateparser.timezone_parser import pop_tz_offset_from_string  # slow import: only here

    _, tz = pop_tz_offset_from_string(" " + token)
    if tz is None:
        return None
    return timezone(tz.utcoffset(None), token)


def _month(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value[:3].lower()]


def _make(year: int, month: int, day: int, time_match: re.Match | None = None,
          tz_token: str | None = None) -> datetime | None:
    hour = minute = second = 0
    if time_match is not None:
        hour, minute = int(time_match["hour"]), int(time_match["minute"])
        second = int(time_match["second"] or 0)
        ampm = (time_match["ampm"] or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        tz_token = tz_token or time_match["tz"]
    try:
        value = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    tz = _zone(tz_token)
    return value.replace(tzinfo=tz) if tz else value


def find_date(text: str) -> FoundDate | None:
    """The first full date (with year) in ``text``, with a time and zone next to it."""
    if not _YEAR4.search(text):
        return None
    best = None
    for pattern in (_MDY, _DMY, _ISO):
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    start, end = best.start(), best.end()
    year, month, day = int(best["year"]), _month(best["month"]), int(best["day"])
    time_match = None
    if best.re is _ISO and best["hour"]:
        if int(best["hour"]) > 23:
            return None
        try:
            value = datetime(year, month, day, int(best["hour"]), int(best["minute"]),
                             int(best["second"] or 0))
        except ValueError:
            return None
        tz = _zone(best["tz"])
        return FoundDate(value.replace(tzinfo=tz) if tz else value, start, end)
    after = _TIME_AFTER.match(text, end)
    if after and _valid_time(after):
        time_match, end = after, after.end()
    else:
        before = _TIME_BEFORE.search(text[max(0, start - 40):start])
        if before and _valid_time(before):
            time_match = before
            start = max(0, start - 40) + before.start()
    made = _make(year, month, day, time_match)
    return FoundDate(made, start, end) if made else None


def _valid_time(m: re.Match) -> bool:
    hour = int(m["hour"])
    return hour < (13 if m["ampm"] else 24)


def find_month_day(text: str, reference: datetime | date | None) -> FoundDate | None:
    """A month and day without a year, resolved to the latest such date not after
    ``reference`` (a dateline is written on or just before the day it is filed)."""
    m = _MD.search(text)
    if not m:
        return None
    month, day = _month(m["month"]), int(m["day"])
    ref = reference or datetime.now()
    ref_day = ref.date() if isinstance(ref, datetime) else ref
    for year in (ref_day.year, ref_day.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref_day + timedelta(days=1):
            return FoundDate(datetime(year, month, day), m.start(), m.end())
    return None


def date_in_filename(name: str) -> datetime | None:
    """A YYYY-MM-DD (or YYYYMMDD) date in a file name, e.g. aleppo-2016-12-07.txt."""
    for m in _FILE_DATE.finditer(name):
        try:
            return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def parse_date(value: object) -> datetime | None:
    """A metadata value (ISO string, RFC 822, "December 7, 2016", Unix time…) as datetime."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value  # milliseconds
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc) if seconds > 0 else None
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        if 1800 <= parsed.year <= 2199:
            return parsed
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        if parsed is not None and 1800 <= parsed.year <= 2199:
            return parsed
    except (TypeError, ValueError, IndexError):
        pass
    found = find_date(text)
    if found is not None:
        return found.value
    return _dateparser(text)


def _dateparser(text: str) -> datetime | None:
    if len(text) > 80 or not re.search(r"\d", text):
        return None
    import dateparser  # slow import: only for unusual shapes

    try:
        parsed = dateparser.parse(text, settings={"STRICT_PARSING": True})
    except Exception:  # dateparser raises assorted errors on odd input  # noqa: BLE001
        return None
    if parsed is None or not 1800 <= parsed.year <= 2199:
        return None
    return parsed
