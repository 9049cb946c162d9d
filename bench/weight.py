"""(c) page weight per page type: what headless Chromium loads, gzipped as a host serves it.

    python bench/weight.py ARTICLE_SLUG OUTPUT_DIR [OUTPUT_DIR …]

Each folder is served by a small local server that gzips text responses
(HTML, CSS, JS, SVG, XML, JSON) at level 6 when the browser accepts gzip, as
static hosts do. Chromium (Debian's, through Playwright) opens every page in a
fresh context with a mobile viewport and an empty cache and waits until the
network is idle. For each page we record the requests it made, its Web
Workers' included (Pagefind searches in one), and:
- "transfer": the bytes sent, response headers included, as DevTools shows
  them (the bodies as the server sends them: gzipped text, other files as
  they are);
- "gzip": those bodies alone, which does not depend on the server's headers.

The month archive weighed is the largest month page of the build (the month
with the most articles), and "search, with a query" is the search page opened
with a query, as the header's search box opens it: what a search costs.
"""

import gzip
import runpy
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM = "/usr/bin/chromium"
# The level the site's own server configurations use.
GZIP_LEVEL = runpy.run_path(str(Path(__file__).resolve().parent.parent / "pelicanconf.py"))["GZIP_LEVEL"]
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".svg", ".xml", ".json", ".txt")

# What one search costs (Pagefind and the parts of its index it fetches): not
# a page's weight, so not held to the page budget.
A_SEARCH = "search, with a query"

# Page types other than the article, with where each build writes one (the
# first path that exists wins: ours, then stock Pelican's).
PAGE_TYPES = {
    "home": ["index.html"],
    "home, page 2": ["page/2.html", "index/page/2.html", "index2.html"],
    "section": ["category/mali.html"],
    "topic": ["tag/mali.html"],
    "sections index": ["categories.html"],
    "topics index": ["tags.html"],
    "archives": ["archives.html"],
    "year archive": ["2023/index.html"],
    "month archive": [],  # the largest, found in find_pages()
    "about": ["about.html", "pages/about.html"],
    "search": ["search.html"],
    A_SEARCH: ["search.html?q=Wagner"],
    "404": ["404.html"],
}


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files, gzipping text ones for clients that accept it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), GZIP_LEVEL, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.body = body
        return None

    def do_GET(self):
        self.body = None
        result = self.send_head()
        if self.body is not None:
            self.wfile.write(self.body)
        elif result:
            try:
                self.copyfile(result, self.wfile)
            finally:
                result.close()


def serve(folder):
    """Start a gzipping server for `folder` on loopback; returns (server, root URL)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def find_pages(folder, article):
    """{page type: relative path} for the page types this build has."""
    folder = Path(folder)
    found = {}
    for match in sorted(folder.rglob(f"{article}.html"))[:1]:
        found["article"] = match.relative_to(folder).as_posix()
    for kind, candidates in PAGE_TYPES.items():
        path = next((candidate for candidate in candidates if (folder / candidate.split("?")[0]).is_file()), None)
        if path:
            found[kind] = path
    months = sorted(
        folder.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"), key=lambda path: (-path.stat().st_size, path)
    )
    if months:
        found["month archive"] = months[0].relative_to(folder).as_posix()
    return {kind: found[kind] for kind in ["article", *PAGE_TYPES] if kind in found}


def gzip_size(folder, url):
    path = Path(folder) / unquote(urlparse(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0)) if path.suffix in COMPRESSIBLE else len(data)


def weigh(browser, folder, root, page):
    """{"requests", "transfer", "gzip", "urls"} for one page."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, device_scale_factor=2.625)
    # Requests of the page and of its workers: a context sees both.
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    tab = context.new_page()
    tab.goto(root + page, wait_until="networkidle")
    headers = {request: request.sizes()["responseHeadersSize"] for request in finished}
    context.close()
    loaded = [request.url for request in finished if request.url.startswith(root)]
    served = sum(gzip_size(folder, url) for url in loaded)
    # Bodies as the server sent them: Chromium reports no body size for a
    # worker's own script (Pagefind's), though it was sent.
    return {
        "requests": len(finished),
        "transfer": sum(headers.values()) + served,
        "gzip": served,
        "urls": sorted(url.removeprefix(root) for url in loaded),
    }


def run(sites):
    """sites: {label: (output folder, article slug)} → {label: {page type: figures}}."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for label, (folder, article) in sites.items():
                httpd, root = serve(folder)
                try:
                    results[label] = {
                        kind: {"path": path, **weigh(browser, folder, root, path)}
                        for kind, path in find_pages(folder, article).items()
                    }
                finally:
                    httpd.shutdown()
                    httpd.server_close()
        finally:
            browser.close()
    return results


def main():
    article, *folders = sys.argv[1:]
    for folder in folders:
        for kind, figures in run({folder: (folder, article)})[folder].items():
            print(
                f"{folder}  {kind:22} {figures['requests']:3} requests  "
                f"{figures['transfer'] / 1024:6.1f} KB transfer  {figures['gzip'] / 1024:6.1f} KB gzip  "
                f"{figures['path']}"
            )


if __name__ == "__main__":
    main()
