"""plugins/template_indentation.py, on Jinja environments made with the site's options."""

import jinja2
from markupsafe import Markup
from pelican.settings import read_settings
from support import ROOT

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))
TEMPLATE = '<ul>\n  {% for item in items %}\n  <li>\n\t  <a href="#">{{ item }}</a>\n  </li>\n  {% endfor %}\n</ul>\n'
BODY = "<pre><code>def f():\n    return 1\n</code></pre>"


def rendered(name, **values):
    loader = jinja2.DictLoader({name: TEMPLATE})
    return jinja2.Environment(loader=loader, **SETTINGS["JINJA_ENVIRONMENT"]).get_template(name).render(**values)


def test_an_html_template_loses_its_indentation_and_keeps_its_line_breaks():
    assert rendered("list.html", items=["a b"]) == '<ul>\n<li>\n<a href="#">a b</a>\n</li>\n</ul>'


def test_what_a_template_inserts_keeps_its_own_indentation():
    assert BODY in rendered("list.html", items=[Markup(BODY)])


def test_other_templates_keep_their_indentation():
    assert rendered("nginx.conf", items=["a"]) == '<ul>\n  <li>\n\t  <a href="#">a</a>\n  </li>\n</ul>'
