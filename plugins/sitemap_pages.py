"""The later pages of a paginated list, as Pelican's own paginator makes them.

pelicanconf.py gives templates ``later_pages(save_as, url, articles)`` through
``JINJA_GLOBALS``: pages 2 and after of a list, each with its ``url`` and
``object_list``, so that the sitemap names exactly what Pelican writes.
Settings read: ``DEFAULT_PAGINATION``, ``DEFAULT_ORPHANS``, ``PAGINATION_PATTERNS``.
"""

import jinja2
from pelican.paginator import Paginator


@jinja2.pass_context
def later_pages(context, save_as, url, articles):
    """Pelican's pages after the first of the list written to ``save_as``; none without pagination."""
    if not context.get("DEFAULT_PAGINATION"):
        return []
    paginator = Paginator(save_as, url, articles, context, context["DEFAULT_PAGINATION"])
    return [paginator.page(number) for number in paginator.page_range[1:]]
