"""What an article's body may contain, checked and then enforced.

One allowlist: the elements and attributes that Markdown ("extra" and "toc")
writes, plus ``abbr``, ``q``, ``span``, ``figure`` and the ``lang`` attribute.
``scan_body()`` reports everything outside it, so that the build stops with a
message; ``sanitise()`` gives the body to nh3 (the Rust sanitiser ammonia)
with the same allowlist, so that whatever a check might miss never reaches a
page or a feed.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

# Attributes allowed on every element. Python-Markdown's toc and footnotes
# write ids; attr_list lets an editor mark a passage's language.
GLOBAL_ATTRIBUTES = {"id", "lang"}
ATTRIBUTES = {
    **{tag: set() for tag in ("p", "h2", "h3", "h4", "h5", "h6", "em", "strong", "pre", "ul", "ol", "li")},
    **{tag: set() for tag in ("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "dl", "dt", "dd")},
    **{tag: set() for tag in ("sup", "sub", "hr", "br", "figure", "figcaption", "span", "del", "ins", "cite")},
    "a": {"href", "title", "hreflang", "class"},
    "code": {"class"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "div": {"class"},
}
# Classes only where the footnotes extension writes them: any other class
# could borrow the theme's styles to cover or hide part of the page. The
# fenced_code extension names a block's language (```python), which the
# theme does not style.
CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#-]{1,40}")
URL_ATTRIBUTES = {"href", "src", "cite"}
URL_SCHEMES = {"http", "https", "mailto"}
# Every character a browser drops from a URL before reading its scheme.
URL_IGNORED = re.compile(r"[\x00-\x20]")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Pelican's INTRASITE_LINK_REGEX as it applies it: at the start of the value.
INTRASITE = re.compile(r"^[{|](?P<what>.*?)[|}]")


def written_url(value):
    """The URL as the page finally carries it.

    Pelican replaces only the path of an intrasite link (``{index}``,
    ``|static|``…) and keeps the scheme, host, query and fragment written
    after the marker, so ``{index}javascript:x`` becomes ``javascript:…``.
    """
    match = INTRASITE.match(URL_IGNORED.sub("", value))
    return value if not match else URL_IGNORED.sub("", value)[match.end() :]


def url_scheme(value):
    """The scheme a browser reads in the URL as written to the page (lower case), or "" if relative."""
    url = URL_IGNORED.sub("", written_url(value))
    match = SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    # What Pelican reads when it rewrites the link, should it differ.
    return scheme or urlsplit(url).scheme.lower()


def is_same_site(value):
    """An address on this site once written: no scheme and no host (``//host/x`` has one)."""
    url = URL_IGNORED.sub("", written_url(value)).replace("\\", "/")
    return not url_scheme(value) and not url.startswith("//") and not urlsplit(url).netloc


def class_allowed(tag, value):
    if tag == "code":
        return CODE_LANGUAGE.fullmatch(value) is not None
    return set(value.split()) <= CLASSES.get(tag, set())


def id_is_reserved(value, reserved):
    """``reserved``: (ids, patterns) from ``reserved_ids()``."""
    ids, patterns = reserved
    return value in ids or any(pattern.fullmatch(value) for pattern in patterns)


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
        if tag not in ATTRIBUTES:
            hint = "; the page has one <h1>, the title: use ## for a heading" if tag == "h1" else ""
            self.problem(
                rf"<\s*{re.escape(tag)}\b", f"found a <{tag}> element; expected only the HTML an article may use{hint}"
            )
            return
        attributes = dict(attrs)
        for name, value in attrs:
            value = value or ""
            needle = rf"\b{re.escape(name)}\s*="
            if name not in ATTRIBUTES[tag] and name not in GLOBAL_ATTRIBUTES:
                what = (
                    "scripts"
                    if name.startswith("on")
                    else "styles"
                    if name in ("style", "class")
                    else "other attributes"
                )
                self.problem(needle, f"found a <{tag}> with a {name} attribute; articles carry no {what}")
            elif name == "class" and not class_allowed(tag, value):
                self.problem(needle, f'found a <{tag}> with class="{value}"; articles carry no styles')
            elif name == "id" and id_is_reserved(value, self.reserved):
                self.problem(
                    value,
                    f'found the id "{value}", which the page itself uses; rename the heading or give it another id',
                )
            elif name in URL_ATTRIBUTES and url_scheme(value) not in ("", *URL_SCHEMES):
                self.problem(
                    re.escape(value), f'found a link to "{value}"; expected http(s), mailto or a page of this site'
                )
            elif tag == "img" and name == "src" and not is_same_site(value):
                self.problem(
                    re.escape(value),
                    f'found an image from another site, "{value}"; expected an image of this site ({{static}}/…)',
                )
            if name in ("href", "src") and value:
                self.links.append(value)
        if tag == "img" and not (attributes.get("alt") or "").strip():
            src = attributes.get("src") or ""
            self.problem(re.escape(src), f'image "{src}" has no alt text; say what it shows: ![what it shows]({src})')

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
    """(needle, message) for each place Pelican would rewrite that is not a link's own value.

    Pelican rewrites ``{index}``, ``{attach}``… in the sanitised HTML with a
    pattern that also matches text ending in ``src=`` inside another
    attribute's value, such as ``title="src='{index}"``, and ends the value at
    the next quote of the same kind, anywhere after the tag: what lies between
    is deleted and the text after it becomes attributes of the tag. A match
    counts only if it is a whole ``href``, ``src`` or ``cite`` value in ".
    """
    problems = []
    for found in link_regex.finditer(clean_html):
        if found.group("quote") != '"' or not MARKER_PLACE.search(found.group("markup")):
            marker = found.group("path")[: len(found.group("path")) - len(found.group("value"))]
            attribute = re.search(r"(\w*)\s*=\s*$", found.group("markup")).group(1)
            problems.append(
                (
                    re.escape(attribute) + r"\s*=\s*" + re.escape(found.group("quote") + marker),
                    f"found the link marker {marker} after {attribute}={found.group('quote')} inside another attribute or text;"
                    " expected a marker only at the start of a link or image address, such as [text]({index})",
                )
            )
    return problems


def scan_body(html, reserved=(set(), [])):
    scanner = BodyScanner(reserved)
    scanner.feed(html or "")
    scanner.close()
    return scanner


def sanitise(html, reserved=(set(), [])):
    """``html`` with everything outside the allowlist removed, and no reserved id."""

    def keep(tag, name, value):
        if name == "id" and id_is_reserved(value, reserved):
            return None
        if name in URL_ATTRIBUTES and url_scheme(value) not in ("", *URL_SCHEMES):
            return None
        if tag == "img" and name == "src" and not is_same_site(value):
            return None
        if tag == "code" and name == "class" and not class_allowed(tag, value):
            return None
        return value

    return nh3.clean(
        html,
        tags=set(ATTRIBUTES),
        # Their text is code or markup, never words for the reader.
        clean_content_tags={
            "script",
            "style",
            "textarea",
            "template",
            "noscript",
            "title",
            "xmp",
            "noembed",
            "noframes",
        },
        attributes={
            "*": GLOBAL_ATTRIBUTES,
            **{tag: names - {"class"} if tag in CLASSES else names for tag, names in ATTRIBUTES.items()},
        },
        allowed_classes=CLASSES,
        attribute_filter=keep,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
