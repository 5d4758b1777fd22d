"""What a page shows of a company's channels, worked out once per rendering of the page.

Nothing here depends on the time of the request but `open_intervals`, which covers a window
of weeks named by the page's cache key (`window_start`), so a cached page stays right: the
reader's browser picks the interval it is in (static/js/open-now.js).
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import opening_hours
import phonenumbers
from django.conf import settings
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, pgettext

from guides_site.content.typography import long_date

from .models import ContactChannel, in_language

# The week the table shows: any week does, as it ignores public holidays (no country).
_REFERENCE_MONDAY = datetime(2024, 1, 1)
# How far ahead the page carries opening intervals: its cache key changes every week.
WINDOW_DAYS = 21
# opening-hours-py takes zoneinfo time zones only (it reads their key).
UTC = ZoneInfo("UTC")
_PH_RE = re.compile(r"(?:^|[;,|]\s*)PH\b")


def window_start(now=None):
    """Monday 00:00 UTC of this week: part of the cache key of pages carrying intervals."""
    now = now or datetime.now(UTC)
    monday = (now - timedelta(days=now.weekday())).date()
    return datetime.combine(monday, time(), tzinfo=UTC)


def _format_span(start, end, language):
    """A span of a day in minutes from its midnight (1440: the end of the day)."""
    if language == "fr":
        return f"{_format_minutes(start, language)} \u2013 {_format_minutes(end, language)}"
    return f"{_format_minutes(start, language)}\u2013{_format_minutes(end, language)}"


def _format_minutes(minutes, language):
    """20:00 in English; 20 h, 8 h 30 in French (narrow no-break spaces), as French
    editors write times."""
    hours, minutes = divmod(minutes, 60)
    if language == "fr":
        return f"{hours}\u202fh" if not minutes else f"{hours}\u202fh\u202f{minutes:02d}"
    return f"{hours:02d}:{minutes:02d}"


def _week_spans(hours):
    """{weekday 0-6: [(start minute, end minute)]} of a typical week, or None if the hours
    cannot be read (a row written without the content format's checks)."""
    try:
        parsed = opening_hours.OpeningHours(hours)
        found = list(parsed.intervals(_REFERENCE_MONDAY, _REFERENCE_MONDAY + timedelta(days=7)))
    except Exception:  # noqa: BLE001 (any failure of the library: show no table)
        return None
    spans = {day: [] for day in range(7)}
    for start, end, state, _comment in found:
        if state != opening_hours.State.OPEN:
            continue
        start = max(start, _REFERENCE_MONDAY)
        end = min(
            end or _REFERENCE_MONDAY + timedelta(days=7), _REFERENCE_MONDAY + timedelta(days=7)
        )
        while start < end:
            day_start = datetime.combine(start.date(), time())
            day_end = min(end, day_start + timedelta(days=1))
            spans[start.weekday()].append(
                (
                    (start - day_start).seconds // 60,
                    int((day_end - day_start).total_seconds()) // 60,
                )
            )
            start = day_end
    return spans


def _holiday_spans(hours, timezone, country):
    """The spans of a public holiday, [] when closed, or None when the hours say nothing of
    public holidays."""
    if not country or not _PH_RE.search(hours):
        return None
    try:
        zone = ZoneInfo(timezone)
        holidays = opening_hours.OpeningHours("PH", timezone=zone, country=country)
        parsed = opening_hours.OpeningHours(hours, timezone=zone, country=country)
        year = datetime(2025, 1, 1, tzinfo=zone)
        holiday = next(
            start
            for start, _end, state, _c in holidays.intervals(year, year + timedelta(days=366))
            if state == opening_hours.State.OPEN
        )
    except Exception:  # noqa: BLE001 (no holiday known: say nothing of them)
        return None
    day = datetime.combine(holiday.date(), time(), tzinfo=zone)
    spans = []
    for start, end, state, _comment in parsed.intervals(day, day + timedelta(days=1)):
        if state == opening_hours.State.OPEN:
            start, end = (
                max(start, day),
                min(end or day + timedelta(days=1), day + timedelta(days=1)),
            )
            spans.append(((start - day).seconds // 60, int((end - day).total_seconds()) // 60))
    return spans


def _spans_text(spans, language):
    if not spans:
        return gettext("Closed")
    if spans == [(0, 1440)]:
        return gettext("Open 24 hours")
    return ", ".join(_format_span(start, end, language) for start, end in spans)


@dataclass
class WeekRow:
    day: str
    short_day: str
    hours: str
    closed: bool


class ChannelView:
    """One channel as a page in `language` shows it."""

    def __init__(self, channel, language, window):
        self.channel = channel
        self.language = language
        self.window = window

    kind = property(lambda self: self.channel.kind)
    pk = property(lambda self: self.channel.pk)

    @cached_property
    def label(self):
        return in_language(self.channel.label, self.language) or str(
            self.channel.get_kind_display()
        )

    @cached_property
    def cost(self):
        return in_language(self.channel.cost, self.language)

    @cached_property
    def note(self):
        return in_language(self.channel.note, self.language)

    @cached_property
    def checked(self):
        return self.channel.checked and long_date(self.channel.checked, self.language)

    @cached_property
    def _number(self):
        if self.kind != ContactChannel.Kind.PHONE or not self.channel.value.startswith("+"):
            return None
        try:
            return phonenumbers.parse(self.channel.value, None)
        except phonenumbers.NumberParseException:
            return None

    @cached_property
    def display_value(self):
        """The number as written in its country, else the value itself."""
        if self._number is not None:
            return phonenumbers.format_number(self._number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return self.channel.value

    @cached_property
    def international(self):
        """+1 888-280-4331: how to dial it from another country ("" for short numbers)."""
        if self._number is None:
            return ""
        return phonenumbers.format_number(
            self._number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )

    @cached_property
    def href(self):
        return self.channel.href

    @cached_property
    def domain(self):
        if self.kind in ("help", "chat") and self.href:
            return self.href.split("/")[2].removeprefix("www.")
        return ""

    @cached_property
    def menu_steps(self):
        steps = []
        for step in self.channel.menu or []:
            purpose = in_language(step.get("for"), self.language)
            if "press" in step:
                steps.append(
                    pgettext("phone menu", "%(key)s (%(purpose)s)")
                    % {"key": step["press"], "purpose": purpose}
                    if purpose
                    else step["press"]
                )
            else:
                steps.append(
                    pgettext("phone menu", "say “%(words)s” (%(purpose)s)")
                    % {"words": step["say"], "purpose": purpose}
                )
        return steps

    @cached_property
    def menu_text(self):
        """'Press 1 (tickets), then 3 (an adviser)'; a spoken step reads 'say “adviser”'."""
        if not self.channel.menu:
            return ""
        parts, previous = [], None
        for step, text in zip(self.channel.menu, self.menu_steps, strict=True):
            # "press 1 (tickets), then 3 (an adviser)": "press" once for keys in a row.
            if "press" in step and previous != "press":
                parts.append(pgettext("phone menu", "press %(step)s") % {"step": text})
            else:
                parts.append(text)
            previous = "press" if "press" in step else "say"
        joined = parts[0]
        for part in parts[1:]:
            joined = pgettext("phone menu", "%(before)s, then %(next)s") % {
                "before": joined,
                "next": part,
            }
        return capfirst(joined)

    @cached_property
    def dial_href(self):
        """tel:3635,,1,,3: the number, then each key after a pause; only when every step of
        the menu is a key press (a phone cannot say words)."""
        menu = self.channel.menu or []
        if not menu or not self.href or any("press" not in step for step in menu):
            return ""
        keys = ",,".join(step["press"].replace("#", "%23") for step in menu)
        return f"{self.href},,{keys}"

    @cached_property
    def dial_keys(self):
        return ", ".join(step["press"] for step in self.channel.menu or [] if "press" in step)

    @cached_property
    def timezone(self):
        return self.channel.timezone or self.channel.company.timezone

    @cached_property
    def country(self):
        return self.channel.country or self.channel.company.country

    @cached_property
    def zone_name(self):
        """'Paris time' / 'heure de Paris', from the IANA name."""
        city = self.timezone.rsplit("/", 1)[-1].replace("_", " ")
        return gettext("%(city)s time") % {"city": city}

    @cached_property
    def week_spans(self):
        return _week_spans(self.channel.hours) if self.channel.hours and self.timezone else None

    @cached_property
    def week(self):
        """A row per day, Monday first, or [] without readable hours."""
        if not self.week_spans:
            return []
        return [
            WeekRow(
                day=capfirst(str(WEEKDAYS[day])),
                short_day=capfirst(str(WEEKDAYS_ABBR[day])),
                hours=_spans_text(spans, self.language),
                closed=not spans,
            )
            for day, spans in self.week_spans.items()
        ]

    @cached_property
    def always_open(self):
        return bool(self.week_spans) and all(s == [(0, 1440)] for s in self.week_spans.values())

    @cached_property
    def week_summary(self):
        """Days with the same hours grouped: 'Mon–Fri 08:00–20:00 · Sat 09:00–18:00'."""
        if not self.week:
            return ""
        if self.always_open:
            return gettext("Open 24 hours, every day")
        groups = []
        for index, row in enumerate(self.week):
            if groups and groups[-1][2] == row.hours and groups[-1][1] == index - 1:
                groups[-1][1] = index
            else:
                groups.append([index, index, row.hours])
        if len(groups) == 1:
            return gettext("Every day: %(hours)s") % {"hours": groups[0][2]}
        parts = []
        for first, last, hours in groups:
            days = self.week[first].short_day
            if last > first:
                days = f"{days}\u2013{self.week[last].short_day}"
            parts.append(f"{days} {hours}")
        return " · ".join(parts)

    @cached_property
    def holidays(self):
        """What public holidays change, in a sentence, or ""."""
        spans = _holiday_spans(self.channel.hours, self.timezone, self.country)
        if spans is None:
            return ""
        if not spans:
            return gettext("Closed on public holidays.")
        return gettext("Public holidays: %(hours)s.") % {"hours": _spans_text(spans, self.language)}

    @cached_property
    def open_data(self):
        """JSON for the reader's browser: the open intervals (UTC seconds) of the window, and
        the texts to show; "" without hours."""
        if not self.week_spans or not self.timezone:
            return ""
        start = self.window
        end = start + timedelta(days=WINDOW_DAYS)
        try:
            parsed = opening_hours.OpeningHours(
                self.channel.hours, timezone=ZoneInfo(self.timezone), country=self.country or None
            )
            found = list(parsed.intervals(start, end))
        except Exception:  # noqa: BLE001 (unreadable hours: the table stands alone)
            return ""
        intervals = [
            [int(max(s, start).timestamp()), int(min(e or end, end).timestamp())]
            for s, e, state, _comment in found
            if state == opening_hours.State.OPEN
        ]
        return json.dumps(
            {
                "from": int(start.timestamp()),
                "until": int(end.timestamp()),
                "tz": self.timezone,
                "lang": self.language,
                "open": intervals,
            },
            separators=(",", ":"),
        )

    @cached_property
    def status_texts(self):
        zone = self.zone_name
        return {
            "open": gettext("Open now · closes at {time} (%(zone)s)") % {"zone": zone},
            "always": gettext("Open now, 24 hours a day"),
            "today": gettext("Closed now · opens today at {time} (%(zone)s)") % {"zone": zone},
            "tomorrow": gettext("Closed now · opens tomorrow at {time} (%(zone)s)")
            % {"zone": zone},
            "later": gettext("Closed now · opens {day} at {time} (%(zone)s)") % {"zone": zone},
            "closed": gettext("Closed now"),
        }

    @cached_property
    def status_json(self):
        return json.dumps(self.status_texts, ensure_ascii=False, separators=(",", ":"))


def channel_views(company, language=None, window=None):
    """The company's channels for a page in `language`: those that answer in it first (and
    those that say nothing of their languages), each group in the author's order."""
    language = language or get_language() or settings.LANGUAGE_CODE
    window = window or window_start()
    channels = list(company.contacts.all())
    speaks = [c for c in channels if not c.languages or language in c.languages]
    others = [c for c in channels if c.languages and language not in c.languages]
    return [ChannelView(channel, language, window) for channel in speaks + others]
