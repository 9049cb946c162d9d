"""The content checks' half of the body's allowlist (``shared/body_allowlist.py``).

``scan_body()`` reports everything outside it, so that the build stops with a
message, and collects the links the body makes.
"""

import re
from html.parser import HTMLParser

from shared.body_allowlist import (
    ATTRIBUTES,
    GLOBAL_ATTRIBUTES,
    URL_ATTRIBUTES,
    URL_SCHEMES,
    class_allowed,
    id_is_reserved,
    is_same_site,
    url_scheme,
)


def reserved_ids(template_texts, extra=()):
    """(ids, patterns) of the element ids the theme writes, read from its templates.

    An id made from a template expression, ``year-{{ number }}``, becomes the
    pattern ``year-.+``.
    """
    ids, patterns = set(extra), []
    for text in template_texts:
        for value in re.findall(r'\bid="([^"]*)"', text):
            if "{" in value:
                parts = re.split(r"\{\{.*?\}\}|\{%.*?%\}", value)
                patterns.append(re.compile(".+".join(re.escape(part) for part in parts)))
            else:
                ids.add(value)
    return ids, patterns


# Each (tag, name, value, reserved ids) -> (what to look for in the source, message) or None;
# an attribute gets the first problem found.
def attribute_unknown(tag, name, value, reserved):
    if name not in ATTRIBUTES[tag] and name not in GLOBAL_ATTRIBUTES:
        what = "scripts" if name.startswith("on") else "styles" if name in ("style", "class") else "other attributes"
        return rf"\b{re.escape(name)}\s*=", f"found a <{tag}> with a {name} attribute; articles carry no {what}"
    return None


def class_unknown(tag, name, value, reserved):
    if name == "class" and not class_allowed(tag, value):
        return rf"\b{re.escape(name)}\s*=", f'found a <{tag}> with class="{value}"; articles carry no styles'
    return None


def id_of_the_page(tag, name, value, reserved):
    if name == "id" and id_is_reserved(value, reserved):
        return value, f'found the id "{value}", which the page itself uses; rename the heading or give it another id'
    return None


def link_scheme_unknown(tag, name, value, reserved):
    if name in URL_ATTRIBUTES and url_scheme(value) not in ("", *URL_SCHEMES):
        return re.escape(value), f'found a link to "{value}"; expected http(s), mailto or a page of this site'
    return None


def image_from_elsewhere(tag, name, value, reserved):
    if tag == "img" and name == "src" and not is_same_site(value):
        message = f'found an image from another site, "{value}"; expected an image of this site ({{static}}/…)'
        return re.escape(value), message
    return None


ATTRIBUTE_CHECKS = (attribute_unknown, class_unknown, id_of_the_page, link_scheme_unknown, image_from_elsewhere)


def element_unknown(tag):
    hint = "; the page has one <h1>, the title: use ## for a heading" if tag == "h1" else ""
    return rf"<\s*{re.escape(tag)}\b", f"found a <{tag}> element; expected only the HTML an article may use{hint}"


def alt_missing(attributes):
    src = attributes.get("src") or ""
    if (attributes.get("alt") or "").strip():
        return []
    return [(re.escape(src), f'image "{src}" has no alt text; say what it shows: ![what it shows]({src})')]


def element_problems(tag, attrs, reserved):
    """(needle, message) for what one element, with its (name, value) attributes, has outside the allowlist."""
    if tag not in ATTRIBUTES:
        return [element_unknown(tag)]
    problems = []
    for name, value in attrs:
        found = next(filter(None, (check(tag, name, value or "", reserved) for check in ATTRIBUTE_CHECKS)), None)
        if found:
            problems.append(found)
    if tag == "img":
        problems += alt_missing(dict(attrs))
    return problems


class BodyScanner(HTMLParser):
    """Collects what is outside the allowlist in a body's HTML, and the links it makes.

    Each problem is (what to look for in the source, message).
    """

    def __init__(self, reserved):
        super().__init__(convert_charrefs=True)
        self.reserved = reserved
        self.problems = []
        self.links = []

    def problem(self, needle, message):
        self.problems.append((needle, message))

    def handle_starttag(self, tag, attrs):
        self.problems += element_problems(tag, attrs, self.reserved)
        if tag in ATTRIBUTES:
            self.links += [value for name, value in attrs if name in ("href", "src") and value]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_decl(self, decl):
        self.problem(re.escape(f"<!{decl}"), f"found <!{decl}>; expected only the HTML an article may use")

    def handle_pi(self, data):
        self.problem(re.escape(f"<?{data}"), f"found <?{data}>; expected only the HTML an article may use")

    def unknown_decl(self, data):
        self.handle_decl(data)


# Where Pelican's link rewrite (``Content._get_intrasite_link_regex``) may act:
# the whole value of a link attribute, which nh3 always quotes with ".
MARKER_PLACE = re.compile(r"\s(?:href|src|cite)=$")


def stray_link_markers(clean_html, link_regex):
    """(needle, message) for each place Pelican would rewrite that is not a whole href, src or cite value in ".

    Its pattern also matches ``src=`` inside another value (``title="src='{index}"``), and deletes up to
    the next such quote.
    """
    problems = []
    for found in link_regex.finditer(clean_html):
        if found.group("quote") != '"' or not MARKER_PLACE.search(found.group("markup")):
            marker = found.group("path")[: len(found.group("path")) - len(found.group("value"))]
            attribute = re.search(r"(\w*)\s*=\s*$", found.group("markup")).group(1)
            problems.append(
                (
                    re.escape(attribute) + r"\s*=\s*" + re.escape(found.group("quote") + marker),
                    f"found the link marker {marker} after {attribute}={found.group('quote')}"
                    " inside another attribute or text;"
                    " expected a marker only at the start of a link or image address, such as [text]({index})",
                )
            )
    return problems


def scan_body(html, reserved=(set(), [])):
    scanner = BodyScanner(reserved)
    scanner.feed(html or "")
    scanner.close()
    return scanner
