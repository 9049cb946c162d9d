"""Jinja filters showing a date (``YYYY``, ``YYYY-MM``, a day) at exactly the precision known.

Pelican turns ``date: 2023-06-16`` into midnight, a time nobody gave: each article
gets ``date_is_day`` (from the content checks' parse of its front matter, which
alone keeps the date as written) and ``date_published`` (the day alone, or the date and time).
pelicanconf.py registers the filters through ``JINJA_FILTERS``. Settings: none.
"""

import os

from markupsafe import Markup, escape
from pelican import signals
from shared.dates import DAYS_ALONE, iso_date, readable_date

# A date recurs in many timelines: each is marked up once; str() keeps two zones of one instant apart.
_marked = {}


def partial_date(value):
    key = (type(value), str(value))
    if key not in _marked:
        _marked[key] = Markup('<time datetime="{}">{}</time>').format(
            escape(iso_date(value)), escape(readable_date(value))
        )
    return _marked[key]


def date_range(start, end):
    """``27–31 March 2022``, ``27 March – 2 April 2022``: what the two dates share, said once."""
    first, last = readable_date(start).split(" "), readable_date(end).split(" ")
    shared = 0
    while shared < min(len(first), len(last)) - 1 and first[-1 - shared] == last[-1 - shared]:
        shared += 1
    head = first[: len(first) - shared]
    return Markup('<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>').format(
        escape(iso_date(start)), " ".join(head), "–" if len(head) == 1 else " – ", escape(iso_date(end)), " ".join(last)
    )


def mark_precision(content):
    if not hasattr(content, "date") or not content.source_path:
        return
    content.date_is_day = DAYS_ALONE.get(os.path.abspath(content.source_path), False)
    content.date_published = iso_date(content.date) if content.date_is_day else content.date.isoformat()


def register():
    signals.content_object_init.connect(mark_precision)
