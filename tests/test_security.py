"""Security headers: one policy, in the header file of each kind of host and in
every page's <meta> tag. Pages link one stylesheet file and carry no inline
style, so both allow styles from the site alone, and the browser enforces both.

Pages are loaded in Chromium from disk, with their <meta> policy alone, and
over HTTP with the <meta> policy and the headers of `_headers`, as Netlify or
Cloudflare Pages would send them. The second load also catches what would
break the <meta> policy alone, as on GitHub Pages: the headers allow all that
the <meta> policy does (checked below), so they never block a load first, and
each policy reports its own violations (test_the_browser_enforces_the_policy).
tests/test_servers.py serves the pages on nginx and Apache.
"""

import os
import re
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from in_browser import INJECT_STYLE, RECORD_VIOLATIONS, open_page, violations
from security_headers import host_files_pattern
from support import SEARCH_QUERY, QuietHandler, content_hashed, netlify_headers

HEADER_FILES = ("_headers", ".htaccess", "nginx-security-headers.conf")
REQUIRED = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy")
# Directives a <meta> policy may not carry: browsers ignore them there.
HEADER_ONLY = ("frame-ancestors", "report-uri", "report-to", "sandbox")


def apache_headers(text):
    """{name: value} set by ``Header always set Name "value"`` lines for every path (outside ``<If>``)."""
    prefix, lines, depth = "Header always set ", [], 0
    for line in map(str.strip, text.splitlines()):
        depth += line.startswith("<If") - line.startswith("</If")
        if depth == 0 and line.startswith(prefix):
            lines.append(line.removeprefix(prefix))
    return {
        name: quoted.strip().removeprefix('"').removesuffix('"')
        for name, quoted in (line.split(" ", 1) for line in lines)
    }


def nginx_headers(text):
    """{name: value} set by ``add_header Name "value" always;`` lines."""
    prefix, suffix = "add_header ", " always;"
    lines = [line.strip()[len(prefix) : -len(suffix)] for line in text.splitlines() if line.strip().startswith(prefix)]
    return {
        name: quoted.strip().removeprefix('"').removesuffix('"')
        for name, quoted in (line.split(" ", 1) for line in lines)
    }


PARSERS = {"_headers": netlify_headers, ".htaccess": apache_headers, "nginx-security-headers.conf": nginx_headers}


def directives(policy):
    """{directive: [sources]} of a Content-Security-Policy."""
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.fixture(scope="module")
def headers(site):
    return {name: PARSERS[name]((site / name).read_text(encoding="utf-8")) for name in HEADER_FILES}


@pytest.fixture(scope="module")
def policy(headers):
    return directives(headers["_headers"]["Content-Security-Policy"])


def test_every_host_file_sets_the_same_headers(headers):
    assert [name for name in REQUIRED if name not in headers["_headers"]] == []
    assert headers[".htaccess"] == headers["_headers"]
    assert headers["nginx-security-headers.conf"] == headers["_headers"]


def test_the_host_files_pattern_matches_those_files_and_nothing_else():
    """nginx and Apache answer 404 at the root for ``^/(pattern)$``: a dot or a
    dash in a name must not match any other character."""
    names = ["_headers", ".htaccess", "nginx-server.conf"]
    served = re.compile(f"^/({host_files_pattern(names)})$")
    assert [name for name in names if not served.match("/" + name)] == []
    near = ["/Xhtaccess", "/nginx-serverXconf", "/nginx-server.conf.bak", "/_headers.html", "/a/_headers", "/"]
    assert [path for path in near if served.match(path)] == []


def test_policy_allows_only_this_site_and_no_inline_script(policy):
    assert policy["default-src"] == ["'self'"]
    script_sources = policy.get("script-src", policy["default-src"])
    # Compiling WebAssembly (Pagefind) is allowed; running strings as script is not.
    assert set(script_sources) <= {"'self'", "'wasm-unsafe-eval'"}
    # Stylesheets from the site's own files, nothing inline.
    assert policy["style-src"] == ["'self'"]
    for name, sources in policy.items():
        unsafe = [s for s in sources if s in ("*", "'unsafe-inline'", "'unsafe-eval'") or "://" in s or is_hash(s)]
        assert unsafe == [], name
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_other_headers_say_what_they_must(headers):
    assert headers["_headers"]["X-Content-Type-Options"] == "nosniff"
    assert headers["_headers"]["Referrer-Policy"] in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )
    assert headers["_headers"]["Permissions-Policy"].strip()


def is_hash(source):
    return source.startswith("'sha256-")


def meta_policies(tree):
    """(index among the children of <head>, {directive: [sources]}) of each <meta> policy of a page."""
    head = tree.css("head > *")
    return [
        (i, directives(node.attributes.get("content") or ""))
        for i, node in enumerate(head)
        if (node.attributes.get("http-equiv") or "").lower() == "content-security-policy"
    ]


def test_every_page_carries_the_policy_before_anything_it_governs(pages, policy):
    """The <meta> tag is the header's policy without what a <meta> may not hold."""
    offenders = []
    for path, tree in pages.items():
        metas = meta_policies(tree)
        governed = [i for i, node in enumerate(tree.css("head > *")) if node.tag in ("link", "script", "style")]
        if len(metas) != 1:
            offenders.append((path, f"{len(metas)} meta policies"))
            continue
        index, meta = metas[0]
        expected = {name: set(sources) for name, sources in policy.items() if name not in HEADER_ONLY}
        if {name: set(sources) for name, sources in meta.items()} != expected:
            offenders.append((path, "meta policy is not the header's"))
        elif governed and governed[0] < index:
            offenders.append((path, "meta policy after a link, script or style"))
    assert offenders == []


def test_no_page_has_inline_script_or_style_the_policy_does_not_name(pages, policy):
    """No inline script (JSON-LD is data, never run), no inline style, and no
    policy that would allow one."""
    offenders = []
    for path, tree in pages.items():
        offenders += [
            (path, "inline <script>")
            for node in tree.css("script:not([src])")
            if node.attributes.get("type") != "application/ld+json"
        ]
        offenders += [(path, f"<{node.tag} style>") for node in tree.css("[style]")]
        offenders += [(path, "<style>") for node in tree.css("style")]
        offenders += [
            (path, "'unsafe-inline' in the meta policy")
            for _, meta in meta_policies(tree)
            if any("'unsafe-inline'" in sources for sources in meta.values())
        ]
        offenders += [
            (path, f"<{node.tag} {name}>")
            for node in tree.css("*")
            for name in node.attributes
            if name.startswith("on")
        ]
    assert offenders == []


def test_every_page_links_one_stylesheet_named_after_its_content(pages, site):
    """An edit to a stylesheet gives it a new name, so a browser that keeps the
    old file for a year (the header files allow it) never shows a page with it."""
    linked = {
        path: [node.attributes["href"] for node in tree.css('link[rel="stylesheet"]')] for path, tree in pages.items()
    }
    assert [path for path, hrefs in linked.items() if len(hrefs) != 1] == []
    # The 404 page links from the site's root (SITEURL_PATH), the others from their own folder.
    files = {
        site / os.path.normpath(Path(path).parent / href if not href.startswith("/") else href.lstrip("/"))
        for path, (href,) in linked.items()
    }
    assert len(files) >= 3
    assert {file.relative_to(site).as_posix() for file in files} <= set(content_hashed(site))


# -- In the browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server_with_headers(site, headers):
    """The site served with the headers a Netlify or Cloudflare Pages host would send."""

    class HeadersHandler(QuietHandler):
        def end_headers(self):
            for name, value in headers["_headers"].items():
                self.send_header(name, value)
            super().end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(HeadersHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.parametrize("served", ["headers and meta tag, over HTTP", "meta tag, from disk"])
def test_no_page_breaks_the_policy(browser, pages, site, server_with_headers, served):
    base = server_with_headers if served.endswith("over HTTP") else None
    urls = [base + path if base else (site / path).as_uri() for path in sorted(pages)]
    if base:
        urls.append(base + SEARCH_QUERY)
    assert len(urls) >= len(pages)
    assert violations(browser, urls) == []


def test_the_browser_enforces_the_policy(browser, server_with_headers):
    """The check above can fail: an inline script in a served page is reported, and so
    is an inline style, which neither policy allows."""
    with open_page(browser) as page:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(server_with_headers + "index.html")
        page.evaluate(
            """() => {
              const s = document.createElement("script");
              s.textContent = "window.ran = true";
              document.body.append(s);
            }"""
        )
        page.evaluate(INJECT_STYLE)
        assert page.evaluate("window.ran === undefined")
        assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
        # Each policy reports what it blocks: the script and the style, twice each.
        assert (
            sorted(page.evaluate("window.__violations"))
            == ["script-src-elem blocked inline"] * 2 + ["style-src-elem blocked inline"] * 2
        )
