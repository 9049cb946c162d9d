"""Jinja filters showing a date (``YYYY``, ``YYYY-MM``, a day) at exactly the precision known.

Pelican turns ``date: 2023-06-16`` into midnight, a time nobody gave: each article
gets ``date_is_day`` and ``date_published`` (the day alone, or the date and time).
pelicanconf.py registers the filters through ``JINJA_FILTERS``. Settings: none.
"""

import re

from markupsafe import Markup, escape
from pelican import signals
from pelican.plugins.yaml_metadata.yaml_metadata import HEADER_RE
from shared.dates import iso_date, readable_date

DAY_ALONE = re.compile(r"""^date:[ \t]*(["']?)\d{4}-\d{2}-\d{2}\1[ \t]*(#.*)?$""", re.M)


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


def front_matter_gives_a_day(text):
    match = HEADER_RE.fullmatch(text)
    return bool(match and DAY_ALONE.search(match.group("metadata")))


def mark_precision(content):
    # The front matter as written is the only place the precision survives.
    if not hasattr(content, "date") or not content.source_path:
        return
    with open(content.source_path, encoding="utf-8-sig") as file:
        content.date_is_day = front_matter_gives_a_day(file.read())
    content.date_published = iso_date(content.date) if content.date_is_day else content.date.isoformat()


def register():
    signals.content_object_init.connect(mark_precision)
