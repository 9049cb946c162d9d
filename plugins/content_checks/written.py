"""Every page and feed as Pelican finally wrote it: its URLs, and each body against the allowlist again.

So that a way round the checks before the build still publishes nothing (docs/trust-and-limits.md).
Pure helpers, each returning a list of messages.
"""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

from shared.body_allowlist import SCHEME, URL_IGNORED

from .body import BodyScanner

# Every attribute that names a URL a browser follows or fetches.
LINK_ATTRIBUTES = {"href", "cite", "action", "formaction", "xlink:href", "longdesc", "ping", "manifest", "codebase"}
FETCH_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "icon", "archive", "imagesrcset"}
LINK_SCHEMES = {"http", "https", "mailto"}


def urls_of(name, value):
    """The URLs in one attribute's value: a srcset lists several, each before its size."""
    if name in ("srcset", "imagesrcset"):
        return [part.split()[0] for part in value.split(",") if part.strip()]
    return [value]


def scheme_and_host(url):
    """The scheme (lower case, "" if none) and host (None if none) a browser reads in ``url``."""
    url = URL_IGNORED.sub("", url).replace("\\", "/")
    found = SCHEME.match(url)
    scheme = found.group(1).lower() if found else ""
    return scheme, urlsplit(url).hostname if scheme or url.startswith("//") else None


def url_problem(name, value, site_host):
    """(what was found, what was expected) if attribute ``name``'s ``value`` leaves this site where it may not."""
    for scheme, host in map(scheme_and_host, urls_of(name, value)):
        if name in FETCH_ATTRIBUTES and (scheme not in ("", "http", "https") or host not in (None, site_host)):
            return f'{name}="{value}"', "a file of this site, not another site's"
        if name in LINK_ATTRIBUTES and scheme not in ("", *LINK_SCHEMES):
            return f'{name}="{value}"', "http(s), mailto or a page of this site"
    return None


class UrlScanner(HTMLParser):
    def __init__(self, site_host):
        super().__init__(convert_charrefs=True)
        self.site_host = site_host
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            problem = url_problem(name, value or "", self.site_host)
            if problem:
                self.problems.append(f"found <{tag} {problem[0]}>; expected {problem[1]}")

    handle_startendtag = handle_starttag


def html_problems(html, site_host):
    scanner = UrlScanner(site_host)
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def feed_problems(xml, site_host):
    """Each link of the feed, and the URLs in the HTML each entry carries."""
    problems = []
    for element in ET.fromstring(xml).iter():
        for name, value in element.attrib.items():
            problem = url_problem(name.rsplit("}", 1)[-1], value, site_host)
            if problem:
                problems.append(f"found <{element.tag.rsplit('}', 1)[-1]} {problem[0]}>; expected {problem[1]}")
        if element.get("type") == "html" and element.text:
            problems += html_problems(element.text, site_host)
    return problems


# Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BODY_CLASS = "article-body"


class PageBodyScanner(BodyScanner):
    """The allowlist of body.py, applied to the elements inside the page's body element."""

    def __init__(self, reserved):
        super().__init__(reserved)
        self.depth = 0
        self.body_depth = None

    def handle_starttag(self, tag, attrs):
        if self.body_depth is not None:
            super().handle_starttag(tag, attrs)
        elif tag == "div" and BODY_CLASS in (dict(attrs).get("class") or "").split():
            self.body_depth = self.depth
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.body_depth is not None:
            super().handle_starttag(tag, attrs)

    def handle_decl(self, decl):
        if self.body_depth is not None:
            super().handle_decl(decl)

    def handle_pi(self, data):
        if self.body_depth is not None:
            super().handle_pi(data)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth -= 1
        if self.body_depth is not None and self.depth <= self.body_depth:
            self.body_depth = None


def page_body_problems(html, reserved):
    """Messages for what the body element of a written page holds outside the allowlist."""
    scanner = PageBodyScanner(reserved)
    scanner.feed(html)
    scanner.close()
    # The first is the one to fix: a tag broken open takes in the rest of the page.
    return [message for _, message in scanner.problems[:1]]
