"""Jinja filters and a test for dates known only to the year, the month or the day.

News data often has "2013" or "June 2023" where a full date is unknown; the
site must show exactly what is known and no more. Values may be ``date`` or
``datetime`` objects or strings ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

- ``value|iso_date`` gives the ISO 8601 form at its own precision.
- ``value|partial_date`` gives ``<time datetime="…">…</time>`` in house style.
- ``value is date_after(other)`` compares two such dates.

pelicanconf.py registers them with ``JINJA_FILTERS`` and ``JINJA_TESTS``.
"""

import datetime
import re

from markupsafe import Markup, escape

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def iso_date(value):
    """The ISO 8601 date of ``value``, keeping only the parts that are known."""
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
    """``2013``, ``June 2023`` or ``16 June 2023``."""
    parts = [int(part) for part in iso_date(value).split("-")]
    if len(parts) == 1:
        return str(parts[0])
    date = datetime.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    return date.strftime("%B %Y") if len(parts) == 2 else f"{date.day} {date:%B %Y}"


def partial_date(value):
    """A ``<time>`` element showing exactly the precision of ``value``."""
    return Markup('<time datetime="{}">{}</time>').format(
        escape(iso_date(value)), escape(readable_date(value))
    )


def date_after(value, other):
    """Jinja test: ``value`` is after ``other``; a year is not after a day within it."""
    return iso_date(value) > iso_date(other)
