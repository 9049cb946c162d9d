"""Dates known to the year, the month or the day: the date filters and the structured data."""

import datetime
import re

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


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
