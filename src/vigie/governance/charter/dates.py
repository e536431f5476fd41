"""Deadline expressions ("d'ici vendredi", "sous 48 h", "by 12 March", "tomorrow")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from vigie.governance.charter.amounts import WORDNUM

_MONTHS_FR = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_MONTHS_EN = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTHS = {**_MONTHS_FR, **_MONTHS_EN}

_WD_FR = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_WD_EN = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_M_FR = r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)"
_M_EN = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_Y = r"(?:,? (?P<y>\d{4}))?"
_DATE_FR = rf"(?:{_WD_FR} )?(?P<d>\d{{1,2}})(?:er)? (?P<m>{_M_FR}){_Y}"
_DATE_EN = (
    rf"(?:(?:{_WD_EN},? )?(?:the )?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? (?P<m2>{_M_EN}){_Y.replace('y>', 'y2>')}"
    rf"|(?P<m3>{_M_EN}) (?P<d3>\d{{1,2}})(?:st|nd|rd|th)?{_Y.replace('y>', 'y3>')})"
)
_SLASH = r"(?P<sd>\d{1,2})/(?P<sm>\d{1,2})(?:/(?P<sy>\d{2,4}))?"
_N = (
    rf"(?:(?:\d+|{WORDNUM})(?: (?:à|to|-|or|ou) (?:\d+|{WORDNUM}))?|quelques|a few|few|couple of|a couple of)"
)
_DUR_FR = r"(?:h\b|heures?|jours?(?: ouvrés| ouvrables| calendaires)?|semaines?|mois)"
_DUR_EN = r"(?:h\b|hrs?\b|hours?|days?|business days|working days|weeks?|months?)"
_POINT_FR = (
    rf"(?:{_DATE_FR}|{_SLASH}|(?:ce |cette |le |la )?(?:{_WD_FR})(?: prochain| matin| soir| midi)?"
    r"|demain(?: matin| soir| midi)?|après-demain|ce soir|cet après-midi|midi"
    r"|la fin (?:de (?:la |cette )?|du )(?:semaine|mois|journée)|la semaine prochaine|lundi prochain"
    r"|\d{1,2} ?h(?:\d{2})?)"
)
_POINT_EN = (
    rf"(?:{_DATE_EN}|{_SLASH.replace('sd', 'ed').replace('sm', 'em').replace('sy', 'ey')}"
    rf"|(?:this |next |the )?{_WD_EN}(?: morning| afternoon| evening| night)?"
    r"|tomorrow(?: morning| afternoon| evening)?|tonight|today|noon|midday"
    r"|(?:the )?end of (?:the |this |next )?(?:day|week|month)|next week|\d{1,2}(?::\d{2})? ?(?:am|pm))"
)

# Forms that are promises by themselves ("d'ici vendredi", "within 48 hours").
_STRONG = (
    rf"(?:d'ici|d’ici|au plus tard|avant)(?: à| le| la fin de)? (?:{_POINT_FR}|{_N} {_DUR_FR})"
    rf"|(?:sous|en moins de) {_N} ?{_DUR_FR}|sous (?:huitaine|quinzaine|quinze jours)|dans la (?:journée|matinée|soirée)"
    rf"|dès (?:demain|ce soir|{_WD_FR})|later today|(?:by|before) (?:eod|cob|close of business)"
    rf"|(?:\bby|no later than|\bbefore) (?:{_POINT_EN})"
    rf"|within (?:the next )?{_N} ?{_DUR_EN}|in (?:less than|under) {_N} ?{_DUR_EN}"
)
# Forms that are promises only in a sentence that speaks of the future.
_WEAK = (
    rf"(?:dans (?:les )?{_N} (?:prochain(?:e?s) )?{_DUR_FR}|(?:dès |pour )?(?:le |ce )?{_DATE_FR}"
    r"|(?:dès |pour )?demain(?: matin| soir| midi)?|après-demain|ce soir|la semaine prochaine|cette semaine|this week"
    rf"|(?:dès |pour |ce )?{_WD_FR}(?: prochain)?"
    rf"|in (?:{_N}) {_DUR_EN}|today|this (?:afternoon|evening|morning)|aujourd'hui|cet après-midi|tomorrow(?: morning| afternoon| evening)?|tonight|next week|(?:on |this |next )?{_WD_EN}"
    rf"|on {_DATE_EN})"
)

STRONG_RE = re.compile(r"(?<![\w'’])(?:" + _STRONG + r")(?![\w])", re.IGNORECASE)
WEAK_RE = re.compile(r"(?<![\w'’-])(?:" + _WEAK + r")(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    strong: bool
    # ISO date when the expression names a day of a month, otherwise the expression itself.
    value: str


def _iso(m: re.Match[str], today: date) -> str | None:
    groups = m.groupdict()
    day = groups.get("d") or groups.get("d2") or groups.get("d3")
    month_name = groups.get("m") or groups.get("m2") or groups.get("m3")
    year = groups.get("y") or groups.get("y2") or groups.get("y3")
    month: int | None = None
    if day and month_name:
        month = _MONTHS.get(month_name.lower().rstrip("."))
    elif groups.get("sd") and groups.get("sm"):
        day, month, year = groups["sd"], int(groups["sm"]), groups.get("sy")
    elif groups.get("ed") and groups.get("em"):
        day, month, year = groups["ed"], int(groups["em"]), groups.get("ey")
    if not day or not month:
        return None
    y = int(year) if year else today.year
    if year and len(year) == 2:
        y = 2000 + int(year)
    try:
        result = date(y, month, int(day))
    except ValueError:
        return None
    if not year and result < today:
        try:
            result = date(y + 1, month, int(day))
        except ValueError:
            return None
    return result.isoformat()


def find_dates(text: str, today: date) -> list[DateMatch]:
    out: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for regex, strong in ((STRONG_RE, True), (WEAK_RE, False)):
        for m in regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            expr = m.group(0)
            out.append(DateMatch(m.start(), m.end(), strong, _iso(m, today) or expr))
            taken.append((m.start(), m.end()))
    out.sort(key=lambda d: d.start)
    return out
