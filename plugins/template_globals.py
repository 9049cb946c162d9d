"""Work the templates would repeat on every page, done in Python (``JINJA_GLOBALS``).

- ``featured_sections()``: (url, name) of each section with articles that
  ``sections.yaml`` marks ``nav: true``, in that file's order.
- ``once(article, key, macro, *args)``: the macro's markup, drawn once per ``key``
  and kept on the article; the key names all else it depends on.
- ``later_pages(save_as, url, articles)``: Pelican's own pages 2 and after of a list.

Settings read: ``CATEGORY_URL``, ``DEFAULT_PAGINATION``, ``DEFAULT_ORPHANS``, ``PAGINATION_PATTERNS``.
"""

import jinja2
from pelican.paginator import Paginator


@jinja2.pass_context
def featured_sections(context):
    names = {category.slug: category.name for category, _ in context["categories"]}
    return [
        (context["CATEGORY_URL"].format(slug=slug), names[slug])
        for slug, section in (context.get("DATA_SECTIONS") or {}).items()
        if section.get("nav") and slug in names
    ]


def once(article, key, macro, *args):
    drawn = article.__dict__.setdefault("_drawn_once", {})
    if key not in drawn:
        drawn[key] = macro(article, *args)
    return drawn[key]


@jinja2.pass_context
def later_pages(context, save_as, url, articles):
    if not context.get("DEFAULT_PAGINATION"):
        return []
    paginator = Paginator(save_as, url, articles, context, context["DEFAULT_PAGINATION"])
    return [paginator.page(number) for number in paginator.page_range[1:]]
