"""The site on real web servers, configured with the files the build writes.

nginx runs the shipped ``nginx-server.conf`` (which includes
``nginx-locations.conf``) and Apache the shipped ``apache-site.conf`` and
``.htaccess``, each at a domain root and under a sub-path (the sub-path from a
build with that SITEURL), each from its own configuration and prefix in a
temporary folder, on free loopback ports. The only edits made to what was
shipped are the ones docs/hosting.md asks of a reader: the port to listen on
and the folder that holds the site. Around them, what a server already has:
nginx a common regex location in the same server block, Apache Debian's
``Options Indexes`` on the folder above the site. A missing server is a
failure, never a skip.
"""

import gzip
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from in_browser import INJECT_STYLE, RECORD_VIOLATIONS, SEARCH_DONE, open_page, violations
from run import BUDGETS
from selectolax.lexbor import LexborHTMLParser
from support import (
    ARTICLE,
    ROOT,
    SEARCH_PAGE,
    SEARCH_QUERY,
    SOURCE,
    SUB_PATH,
    articles,
    content_hashed,
    netlify_headers,
    read_front_matter,
    references,
    run_pelican,
    settings_of,
)
from weight import serve as serve_gzipped

import publishconf
from pelicanconf import HASHED_CACHE_CONTROL

# The tests' sub-path, as a URL path.
SUB_PREFIX = "/" + SUB_PATH.removesuffix("/")
SUB_SITEURL = "http://sahel.test" + SUB_PREFIX
# The folder the shipped configurations name, which a reader changes to theirs.
SHIPPED_DIR = "/var/www/sahel-desk"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
HOST_FILES = tuple(settings_of(publishconf)["TEMPLATE_PAGES"].values())
# A location a server block commonly has already, which would take every file it
# matches from the site's prefix location (docs/hosting.md).
REGEX_LOCATION = r"location ~* \.(js|css|png|svg|json)$ { expires 30d; }"
NOT_FOUND_TITLE = read_front_matter(ROOT / "content" / "pages" / "404.md")[0]["title"]
# Missing addresses at the top level and deeper, where relative links would break.
MISSING = ("nope.html", "2023/nope.html", "2023/06/nope/deeper.html", "category/nope/")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def executable(name):
    """The server's binary; its absence fails the test (make test installs it)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.fail(f"no {name}: run make test, or apt-get install {name}")
    return found


@contextmanager
def running(command, port, log):
    """A server started by ``command``, answering on ``port``; stopped by its PID afterwards."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log.read_text(encoding="utf-8") if log.is_file() else ""
                    pytest.fail(f"{command[0]} did not start (exit {process.poll()}): {text}")
                time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(url, gzip_ok=False, headers=()):
    """(status, headers, body as sent) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    request = urllib.request.Request(url, headers={**({"Accept-Encoding": "gzip"} if gzip_ok else {}), **dict(headers)})
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def text(headers, body):
    return (gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body).decode("utf-8")


# -- The sites, as a reader puts them on a server ------------------------------------


@pytest.fixture(scope="module")
def sub_site(tmp_path_factory):
    """The site built for a sub-path, as make publish SITEURL=... builds it."""
    output = tmp_path_factory.mktemp("sub-site")
    result = run_pelican(output, env={"SITEURL": SUB_SITEURL})
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def served(site, sub_site):
    """{"root": folder, "sub": folder}: copies a server's workers can read."""
    top = Path(tempfile.mkdtemp(prefix="sahel-served-"))
    # Servers started as root run their workers as nobody.
    top.chmod(0o755)
    folders = {"root": top / "root", "sub": top / "sub"}
    for name, source in (("root", site), ("sub", sub_site)):
        shutil.copytree(source, folders[name])
        for path in [folders[name], *folders[name].rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        # The folder on the server, as a reader's SERVER_DIR names it.
        for host_file in HOST_FILES:
            path = folders[name] / host_file
            path.write_text(path.read_text(encoding="utf-8").replace(SHIPPED_DIR, str(folders[name])), encoding="utf-8")
    yield folders
    shutil.rmtree(top)


def shipped_nginx(folder, port):
    """The shipped server block listening on ``port``, with a regex location of
    the kind a server block already has."""
    conf = (folder / "nginx-server.conf").read_text(encoding="utf-8")
    assert f"include {folder}/nginx-locations.conf;" in conf and "listen 80;" in conf
    lines = [line for line in conf.splitlines() if "listen [::]" not in line]
    return "\n".join(lines).replace("listen 80;", f"listen 127.0.0.1:{port};\n    {REGEX_LOCATION}")


@pytest.fixture(scope="module")
def nginx(served, tmp_path_factory):
    """One nginx with the root and the sub-path server blocks: {"root": url, "sub": url}."""
    binary = executable("nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    ports = {name: free_port() for name in served}
    for name, folder in served.items():
        (prefix / f"{name}.conf").write_text(shipped_nginx(folder, ports[name]), encoding="utf-8")
    temp_paths = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"""pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp_paths}
    include {prefix}/root.conf;
    include {prefix}/sub.conf;
}}
""",
        encoding="utf-8",
    )
    command = [
        binary,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "error.log"),
        "-g",
        "daemon off;",
    ]
    with running(command, ports["sub"], prefix / "error.log"):
        socket.create_connection(("127.0.0.1", ports["root"]), timeout=5).close()
        yield {"root": f"http://127.0.0.1:{ports['root']}/", "sub": f"http://127.0.0.1:{ports['sub']}{SUB_PREFIX}/"}


def apache_conf(prefix, port, served, modules):
    """Debian's defaults for /var/www (here the folder above the sites), then
    each site's shipped apache-site.conf: the root's sets the DocumentRoot, the
    sub-path's an Alias."""
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    loads = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so" for name in modules)
    return f"""ServerRoot {prefix}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {prefix}/httpd.pid
DefaultRuntimeDir {prefix}
ErrorLog {prefix}/error.log
LogLevel warn
{user}{loads}
TypesConfig /etc/mime.types
<Directory {served["root"].parent}>
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>
Include {served["root"]}/apache-site.conf
Include {served["sub"]}/apache-site.conf
"""


# Debian's apache2 has unixd and log_config built in, and autoindex on; docs/hosting.md
# names the rest.
APACHE_NEEDS = ("mpm_event", "authz_core", "dir", "mime", "autoindex", "alias", "headers", "deflate", "filter")


@contextmanager
def apache_running(served, prefix, modules):
    binary = executable("apache2")
    port = free_port()
    (prefix / "httpd.conf").write_text(apache_conf(prefix, port, served, modules), encoding="utf-8")
    with running(
        [binary, "-f", str(prefix / "httpd.conf"), "-d", str(prefix), "-DFOREGROUND"], port, prefix / "error.log"
    ):
        yield f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def apache(served, tmp_path_factory):
    """One Apache with the site at its root and under the sub-path: {"root": url, "sub": url}."""
    with apache_running(served, tmp_path_factory.mktemp("apache"), APACHE_NEEDS) as url:
        yield {"root": url, "sub": url + SUB_PREFIX.lstrip("/") + "/"}


HOSTS = [(server, place) for server in ("nginx", "apache") for place in ("root", "sub")]
IDS = [f"{server}-{place}" for server, place in HOSTS]


@pytest.fixture(scope="module", params=HOSTS, ids=IDS)
def host(request, served):
    """(base URL ending in a slash, the folder served there)."""
    server, place = request.param
    return request.getfixturevalue(server)[place], served[place]


@pytest.fixture(scope="module")
def promised(site):
    """The headers the build promises every response: its _headers file."""
    headers = netlify_headers((site / "_headers").read_text(encoding="utf-8"))
    assert "Content-Security-Policy" in headers
    return headers


def missing_headers(headers, promised):
    return [name for name, value in promised.items() if headers.get(name) != value]


# -- Every page, the headers, the 404 page ---------------------------------------------


def test_every_page_is_served_with_the_promised_headers(host, pages, promised):
    base, _ = host
    offenders = []
    for path in ["", *pages]:
        if path == "404.html":
            continue
        status, headers, _ = fetch(base + path)
        if status != 200 or missing_headers(headers, promised):
            offenders.append((path, status, missing_headers(headers, promised)))
    assert offenders == []


def test_the_sub_path_without_its_slash_redirects_to_it(nginx, apache, promised):
    for urls in (nginx, apache):
        status, headers, _ = fetch(urls["sub"].removesuffix("/"))
        assert (status, headers["Location"].removeprefix(urls["sub"].split(SUB_PREFIX)[0])) == (301, SUB_PREFIX + "/")
        assert missing_headers(headers, promised) == []


def test_a_sub_path_site_alone_on_its_domain_is_where_the_domain_leads(nginx, promised, served):
    """nginx-server.conf holds the site alone: its domain's root redirects to it,
    and any other address outside it is the site's 404 page, with its headers."""
    origin = nginx["sub"].split(SUB_PREFIX)[0]
    status, headers, _ = fetch(origin + "/")
    assert (status, headers["Location"].removeprefix(origin)) == (302, SUB_PREFIX + "/")
    assert missing_headers(headers, promised) == []
    offenders = []
    for path in ["/index.html", "/robots.txt", "/favicon.ico", "/nope/deeper/page.html"]:
        status, headers, body = fetch(origin + path)
        if (status, body) != (404, (served["sub"] / "404.html").read_bytes()) or missing_headers(headers, promised):
            offenders.append((path, status, missing_headers(headers, promised)))
    assert offenders == []


def test_files_a_regex_location_of_the_server_block_matches_are_still_the_sites(host):
    """The server blocks carry REGEX_LOCATION, as an existing one often does; the
    site's location must win over it, or scripts, the index and icons are 404."""
    base, folder = host
    paths = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.suffix in (".js", ".css", ".png", ".svg", ".json")
    )
    assert {path.rsplit(".", 1)[-1] for path in paths} >= {"js", "svg", "json"}
    offenders = []
    for path in paths:
        status, _, body = fetch(base + path)
        if status != 200 or body != (folder / path).read_bytes():
            offenders.append((path, status))
    assert offenders == []


def test_no_folder_is_listed(host):
    """A folder with an index.html is that page; any other is refused, never listed."""
    base, folder = host
    folders = sorted(path.relative_to(folder).as_posix() + "/" for path in folder.rglob("*") if path.is_dir())
    assert {"category/", "tag/", "pagefind/"} <= set(folders)
    offenders = []
    for path in folders:
        status, headers, body = fetch(base + path)
        index = folder / path / "index.html"
        if (status, body) != ((200, index.read_bytes()) if index.is_file() else (403, body)) or "Index of" in text(
            headers, body
        ):
            offenders.append((path, status))
    assert offenders == []


@pytest.mark.parametrize("missing", MISSING)
def test_a_missing_address_gets_the_sites_404_page_whose_links_all_work(host, promised, missing):
    base, _ = host
    status, headers, body = fetch(base + missing)
    assert status == 404
    assert missing_headers(headers, promised) == []
    tree = LexborHTMLParser(text(headers, body))
    assert tree.css_first("h1").text() == NOT_FOUND_TITLE
    broken = []
    refs = list(references(tree))
    assert len(refs) > 10
    for ref in refs:
        url = urldefrag(urljoin(base + missing, ref)).url
        if url == base + missing:
            continue  # #main and the search box, on the page itself
        status = fetch(url)[0]
        if status != 200:
            broken.append((ref, status))
    assert broken == []


def test_the_host_configuration_files_are_not_served(host, promised):
    base, folder = host
    assert all((folder / name).is_file() for name in HOST_FILES)
    answers = {name: fetch(base + name) for name in HOST_FILES}
    assert {name: status for name, (status, _, _) in answers.items()} == dict.fromkeys(HOST_FILES, 404)
    assert [name for name, (_, headers, body) in answers.items() if NOT_FOUND_TITLE not in text(headers, body)] == []


# -- Compression and weight ----------------------------------------------------------


def test_text_is_sent_compressed_with_vary(host):
    base, folder = host
    paths = [
        "index.html",
        SEARCH_PAGE,
        "sitemap.xml",
        *(path.relative_to(folder).as_posix() for path in folder.glob("feeds/**/*.xml")),
    ]
    paths += [
        path.relative_to(folder).as_posix() for path in folder.glob("theme/**/*") if path.suffix in (".js", ".svg")
    ]
    assert len(paths) > 6
    offenders = []
    for path in paths:
        status, headers, body = fetch(base + path, gzip_ok=True)
        if (
            status != 200
            or headers.get("Content-Encoding") != "gzip"
            or "accept-encoding" not in headers.get("Vary", "").lower()
        ):
            offenders.append(
                (path, status, headers.get("Content-Type"), headers.get("Content-Encoding"), headers.get("Vary"))
            )
        elif gzip.decompress(body) != (folder / path).read_bytes():
            offenders.append((path, "not the file"))
        elif len(body) > len(gzip.compress((folder / path).read_bytes(), publishconf.GZIP_LEVEL)) + 64:
            offenders.append((path, f"{len(body)} bytes: compressed less than at level {publishconf.GZIP_LEVEL}"))
    assert offenders == []


def test_the_404_page_is_sent_compressed(host):
    base, folder = host
    status, headers, body = fetch(base + MISSING[1], gzip_ok=True)
    assert (status, headers.get("Content-Encoding"), "accept-encoding" in headers.get("Vary", "").lower()) == (
        404,
        "gzip",
        True,
    )
    assert gzip.decompress(body) == (folder / "404.html").read_bytes()


def test_a_revalidation_of_a_compressed_response_is_answered_304(host):
    """With the validators of the compressed response, as a browser sends them both."""
    base, folder = host
    paths = ["", "index.html", "feeds/all.atom.xml", "theme/js/search.js", "theme/icons/favicon.svg"]
    assert all((folder / (path or "index.html")).is_file() for path in paths)
    offenders = []
    for path in paths:
        status, headers, _ = fetch(base + path, gzip_ok=True)
        assert status == 200 and headers.get("Content-Encoding") == "gzip" and headers.get("ETag"), path
        conditions = {"If-None-Match": headers["ETag"], "If-Modified-Since": headers["Last-Modified"]}
        status, headers, body = fetch(base + path, gzip_ok=True, headers=conditions)
        if (status, body) != (304, b""):
            offenders.append((path, status, len(body)))
    assert offenders == []


def sent(browser, url):
    """(bodies, headers): bytes the server sent for a page and all it loaded, the
    bodies as sent (compressed) and the response headers apart.

    Over HTTP/1.1 each response repeats about 0.7 KB of headers (0.4 KB the
    security headers), which HTTP/2 compresses away between requests;
    docs/hosting.md gives the figures."""
    with open_page(browser, width=412, height=823) as page:
        finished = []
        page.context.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="networkidle")
        # A reader's browser also fetches the icon a page names; the headless shell does not.
        for icon in page.eval_on_selector_all('link[rel~="icon"]', "links => links.map((link) => link.href)"):
            if icon.startswith("data:") or any(request.url == icon for request in finished):
                continue
            with page.expect_request_finished(lambda request, icon=icon: request.url == icon):
                page.evaluate("(url) => fetch(url).then((response) => response.arrayBuffer())", icon)
        sizes = [request.sizes() for request in finished]
    assert len(sizes) >= 2 and all(size["responseBodySize"] for size in sizes)
    return sum(size["responseBodySize"] for size in sizes), sum(size["responseHeadersSize"] for size in sizes)


def test_the_article_and_the_search_page_are_within_their_budgets_as_served(browser, host):
    base, _ = host
    weights = {
        "article": sent(browser, base + ARTICLE)[0] / 1024,
        "search": sent(browser, base + SEARCH_PAGE)[0] / 1024,
    }
    budgets = {"article": BUDGETS["article_kb"], "search": BUDGETS["other_kb"]}
    assert {name: round(kb, 1) for name, kb in weights.items() if kb > budgets[name]} == {}


def test_the_search_page_is_within_its_budget_as_transferred_headers_included(browser, site):
    """As bench/weight.py measures a page against the budget: bodies gzipped as a
    static host sends them, plus every response's headers, the icon's included."""
    httpd, root = serve_gzipped(site)
    try:
        bodies, headers = sent(browser, root + SEARCH_PAGE)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (bodies + headers) / 1024 <= BUDGETS["other_kb"], f"{bodies} bytes of bodies and {headers} of headers"


# -- In the browser ------------------------------------------------------------------


def test_search_finds_the_article(browser, host):
    base, _ = host
    with open_page(browser) as page:
        page.goto(base + SEARCH_PAGE + "?q=Wagner")
        page.wait_for_selector(SEARCH_DONE)
        titles = page.locator("main ol > li h3 a").all_text_contents()
        page.get_by_role("link", name=titles[0] if titles else "none").click()
        assert page.url.startswith(base)
    assert titles == [articles()[SOURCE]["title"]]


def test_no_page_breaks_the_policy(browser, host, pages):
    """Every page, a search and the 404 page, with the server's headers."""
    base, _ = host
    urls = [base + path for path in sorted(pages)] + [base + SEARCH_QUERY, base + MISSING[-2]]
    assert violations(browser, urls) == []


def test_files_named_after_their_content_are_kept_a_year_and_pages_are_not(host, pages):
    base, folder = host
    hashed = content_hashed(folder)
    assert {path.rsplit(".", 1)[-1] for path in hashed} >= {"css", "svg"}
    offenders = [
        (path, cache)
        for path in [*hashed, *sorted(pages)[:5]]
        if (cache := fetch(base + path)[1].get("Cache-Control")) != (HASHED_CACHE_CONTROL if path in hashed else None)
    ]
    assert offenders == []


def test_a_stylesheet_deployed_while_nginx_runs_needs_no_reload(browser, nginx, served):
    """nginx read its headers when it started; a page that links a new stylesheet
    (as after a deploy) is styled with no violation, and an inline style is still blocked."""
    folder = served["root"]
    page_source = (folder / "about.html").read_text(encoding="utf-8")
    old_href = LexborHTMLParser(page_source).css_first('link[rel="stylesheet"]').attributes["href"]
    old_css = (folder / old_href).read_text(encoding="utf-8")
    new_href = old_href.replace("site.", "site.restyled.")
    (folder / new_href).write_text(old_css + "body{outline:3px solid rgb(1,2,3)}", encoding="utf-8")
    (folder / "restyled.html").write_text(page_source.replace(old_href, new_href), encoding="utf-8")
    with open_page(browser) as page:
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(nginx["root"] + "restyled.html")
        assert page.evaluate("getComputedStyle(document.body).outlineColor") == "rgb(1, 2, 3)"
        assert page.evaluate("window.__violations") == []
        page.evaluate(INJECT_STYLE)
        assert page.evaluate("window.__violations") == ["style-src-elem blocked inline"] * 2


def test_apache_without_mod_headers_refuses_to_serve_and_says_why(served, tmp_path):
    """No <IfModule>: the site is never served without its headers, silently."""
    with apache_running(served, tmp_path, [name for name in APACHE_NEEDS if name != "headers"]) as url:
        status = fetch(url + "index.html")[0]
    assert status == 500
    assert "Invalid command 'Header'" in (tmp_path / "error.log").read_text(encoding="utf-8")
