"""Dates known to the year, the month or the day: the date filters and the structured data."""

import datetime
import re

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# {absolute source path: ``date`` is a day alone}, noted by the content checks as they parse each file (Pelican
# makes it midnight); kept between devserver rebuilds, which parse only the files that changed.
DAYS_ALONE = {}


def is_day_alone(value):
    """``value`` is a date as the front matter writes it (text): ``2023-06-16`` but not ``2023-06-16T14:30+02:00``."""
    return isinstance(value, str) and DAY.fullmatch(value) is not None


def iso_date(value):
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    match = PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(f"not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
    year, month, day = match.groups()
    # Let the calendar reject impossible dates such as 2023-13-45.
    datetime.date(int(year), int(month or 1), int(day or 1))
    return text


def readable_date(value):
    parts = [int(part) for part in iso_date(value).split("-")]
    if len(parts) == 1:
        return str(parts[0])
    date = datetime.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    return date.strftime("%B %Y") if len(parts) == 2 else f"{date.day} {date:%B %Y}"
