"""The sections the header features, worked out in Python rather than by every page's template.

``featured_sections()`` gives (url, name) for each section that
``content/data/sections.yaml`` marks ``nav: true`` and that has articles, in
that file's order, each named as the articles name it. A Jinja loop over
every section of the site on every page cost more than the rest of the
header. pelicanconf.py gives templates the function through ``JINJA_GLOBALS``.
Settings read: ``CATEGORY_URL``, and ``DATA_SECTIONS`` from pelican.plugins.data_files.
"""

import jinja2


@jinja2.pass_context
def featured_sections(context):
    names = {category.slug: category.name for category, _ in context["categories"]}
    return [
        (context["CATEGORY_URL"].format(slug=slug), names[slug])
        for slug, section in (context.get("DATA_SECTIONS") or {}).items()
        if section.get("nav") and slug in names
    ]
