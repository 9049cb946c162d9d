"""Work the templates would repeat on every page, done in Python (``JINJA_GLOBALS``).

- ``featured_sections()``: (url, name) of each section with articles that
  ``sections.yaml`` marks ``nav: true``, in that file's order.
- ``once(article, key, macro, *args)``: the macro's markup, drawn once per ``key``
  and kept on the article; the key names all else it depends on.
- ``list_page(template, save_as, url, articles, days)``: (url, lastmod) of a list's first page, Pelican's own.
- ``tojson``, a filter: Jinja's, without the spaces after "," and ":" (the JSON-LD of every page).
- ``svg_data_url(path)``: an SVG file as a ``data:`` URL (``FAVICON_URL``: docs/architecture.md).
- ``date|date_format(format)``, a filter: ``date.strftime(format)``, worked out once per date and format.
- ``period_parts(period_archives, period_num)``: a date archive's months (on a year's
  page) and the breadcrumb trail's periods above it.

Settings read: ``CATEGORY_URL``, ``DEFAULT_PAGINATION``, ``DEFAULT_ORPHANS``, ``PAGINATED_TEMPLATES``,
``PAGINATION_PATTERNS``.
"""

import pathlib
import urllib.parse

import jinja2
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pelican.paginator import Paginator
from shared.dates import iso_date


@jinja2.pass_context
def featured_sections(context):
    names = {category.slug: category.name for category, _ in context["categories"]}
    return [
        (context["CATEGORY_URL"].format(slug=slug), names[slug])
        for slug, section in (context.get("DATA_SECTIONS") or {}).items()
        if section.get("nav") and slug in names
    ]


def tojson(value):
    return htmlsafe_json_dumps(value, sort_keys=True, separators=(",", ":"))


def svg_data_url(path):
    svg = pathlib.Path(path).read_text("utf-8").strip().replace('"', "'")
    return Markup("data:image/svg+xml," + urllib.parse.quote(svg, "'=:/,;"))


# Pelican's strftime parses the format on every call. Keyed on the date written out: equal aware times differ.
_formatted = {}


def date_format(date, fmt):
    key = (type(date), date.isoformat(), fmt)
    if key not in _formatted:
        _formatted[key] = date.strftime(fmt)
    return _formatted[key]


def once(article, key, macro, *args):
    drawn = article.__dict__.setdefault("_drawn_once", {})
    if key not in drawn:
        drawn[key] = macro(article, *args)
    return drawn[key]


@jinja2.pass_context
def list_page(context, template, save_as, url, articles, days=()):
    """Its lastmod: the latest day one of its articles was published or modified (brief §8), or one
    of ``days`` (such as corrections of a section's description) if later."""
    paginated = template in context["PAGINATED_TEMPLATES"]
    per_page = (context["PAGINATED_TEMPLATES"][template] or context["DEFAULT_PAGINATION"]) if paginated else None
    page = Paginator(save_as, url, articles, context, per_page).page(1)
    changed = [iso_date(getattr(article, "modified", None) or article.date) for article in page.object_list]
    return page.url, max(changed + [iso_date(day) for day in days], default=None)


def period_label(archive):
    return " ".join(str(part) for part in reversed(archive["period"]))


def period_parts(period_archives, period_num):
    """(the months of a year's page, else []; the (label, url, None) of the year and month it falls in)."""
    months = period_archives.get("month", []) if len(period_num) == 1 else []
    above = [
        (period_label(archive), archive["url"], None)
        for archive in period_archives.get("year", []) + period_archives.get("month", [])
        if len(archive["period_num"]) < len(period_num)
        and tuple(archive["period_num"]) == tuple(period_num[: len(archive["period_num"])])
    ]
    return [month for month in months if month["period_num"][0] == period_num[0]], above
