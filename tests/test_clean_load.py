"""Every page loads cleanly in Chromium from a local HTTP server: no console
error, no failed request, no request to any other host. Served at the root and
under a sub-path, as a shared host would."""

from urllib.parse import urlparse

import pytest
from in_browser import open_page, visit
from support import SUB_PATH


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_every_page_loads_cleanly(browser, server, pages, base):
    local = urlparse(server).netloc
    offenders = []
    requested_by = {}  # request: the page that made it
    path = None  # the page being loaded, named in each report

    def failed(request):
        # Going on to the next page cancels what the last one still loads
        # (its icon, say): that is the test moving on, not a failure.
        if request.failure == "net::ERR_ABORTED" and requested_by[request] != path:
            return
        offenders.append(f"{requested_by[request]}: {request.url} failed: {request.failure}")

    with open_page(browser) as page:
        page.on(
            "console",
            lambda message: message.type == "error" and offenders.append(f"{path}: console error: {message.text}"),
        )
        page.on("pageerror", lambda error: offenders.append(f"{path}: uncaught {error}"))
        page.on("request", lambda request: requested_by.setdefault(request, path))
        page.on("requestfailed", failed)
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and offenders.append(f"{path}: {response.url} answered {response.status}")
            ),
        )
        for path in pages:
            visit(page, server + base + path)
        path = None  # closing the page cancels what the last one still loads
    requested = {urlparse(request.url).path for request in requested_by}
    assert requested >= {urlparse(server + base + page_path).path for page_path in pages}, "a page was never requested"
    offenders += [
        f"{on_page}: request to {request.url}"
        for request, on_page in requested_by.items()
        if urlparse(request.url).scheme not in ("data", "blob") and urlparse(request.url).netloc != local
    ]
    assert offenders == [], "\n".join(offenders)
