"""The one allowlist of what an article's body may contain, and ``sanitise()``, which enforces it with nh3.

The content checks report what lies outside it; every body and feed entry then passes the sanitiser.
"""

import re
from urllib.parse import urlsplit

import nh3

# toc and footnotes write ids; attr_list lets an editor mark a passage's language.
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
# Any other class could borrow the theme's styles to cover or hide part of the page;
# the theme does not style fenced_code's language classes.
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
    """The URL as the page finally carries it: Pelican keeps what follows a marker, ``{index}javascript:x``."""
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
    ids, patterns = reserved
    return value in ids or any(pattern.fullmatch(value) for pattern in patterns)


def sanitise(html, reserved=(set(), [])):

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
