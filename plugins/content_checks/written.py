"""Every page and feed as Pelican finally wrote it: its URLs, and each body against the allowlist again.

So that a way round the checks before the build still publishes nothing (docs/trust-and-limits.md).
Pure helpers, each returning a list of messages.
"""

import functools
import itertools
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser
from shared.body_allowlist import SCHEME, URL_IGNORED

from .body import element_problems

# Every attribute that names a URL a browser follows or fetches.
LINK_ATTRIBUTES = {"href", "cite", "action", "formaction", "xlink:href", "longdesc", "ping", "manifest", "codebase"}
FETCH_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "icon", "archive", "imagesrcset"}
LINK_SCHEMES = {"http", "https", "mailto"}
# The elements that carry one of those attributes, picked out by lexbor's selector engine.
URL_CARRIERS = ",".join("[" + name.replace(":", r"\:") + "]" for name in sorted(LINK_ATTRIBUTES | FETCH_ATTRIBUTES))


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


# Every page repeats the navigation's and the listings' links: each is judged once.
@functools.lru_cache(maxsize=1 << 16)
def url_problem(name, value, site_host):
    """(what was found, what was expected) if attribute ``name``'s ``value`` leaves this site where it may not."""
    if name not in LINK_ATTRIBUTES and name not in FETCH_ATTRIBUTES:
        return None
    for scheme, host in map(scheme_and_host, urls_of(name, value)):
        if name in FETCH_ATTRIBUTES and (scheme not in ("", "http", "https") or host not in (None, site_host)):
            return f'{name}="{value}"', "a file of this site, not another site's"
        if name in LINK_ATTRIBUTES and scheme not in ("", *LINK_SCHEMES):
            return f'{name}="{value}"', "http(s), mailto or a page of this site"
    return None


def inline_icon(node):
    """The theme's favicon, written into each page (FAVICON_URL): an image, which fetches nothing."""
    attributes = node.attributes
    return (
        node.tag == "link"
        and attributes.get("rel") == "icon"
        and (attributes.get("href") or "").startswith("data:image/")
    )


def node_problems(node, site_host):
    """Messages for the URLs one element carries."""
    problems = []
    for name, value in node.attributes.items():
        if name == "href" and inline_icon(node):
            continue
        problem = url_problem(name, value or "", site_host)
        if problem:
            problems.append(f"found <{node.tag} {problem[0]}>; expected {problem[1]}")
    return problems


def body_problem(node, reserved):
    """The messages of body.py for one node inside the body element: an element, a comment or a declaration."""
    if node.is_element_node and node.tag and not node.tag.startswith("-"):
        return [message for _, message in element_problems(node.tag, list(node.attributes.items()), reserved)]
    return [f"found <!{node.comment_content or ''}>; expected only the HTML an article may use"]


BODY_CLASS = "article-body"


def url_problems(tree, site_host):
    return [message for node in tree.css(URL_CARRIERS) for message in node_problems(node, site_host)]


def body_problems(tree, reserved):
    found = (
        message
        for body in tree.css(f"div.{BODY_CLASS}")
        for node in list(body.traverse())[1:]
        for message in body_problem(node, reserved)
    )
    # The first is the one to fix: a tag broken open takes in the rest of the page.
    return list(itertools.islice(found, 1))


def page_problems(html, site_host, reserved):
    """Messages for a written page, parsed once as a browser parses it: every URL, then the first thing
    its body element holds outside the allowlist."""
    tree = LexborHTMLParser(html)
    return url_problems(tree, site_host) + body_problems(tree, reserved)


def html_problems(html, site_host):
    return url_problems(LexborHTMLParser(html), site_host)


def page_body_problems(html, reserved):
    return body_problems(LexborHTMLParser(html), reserved)


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
