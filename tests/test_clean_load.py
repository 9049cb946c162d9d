"""Every page loads cleanly in Chromium from a local HTTP server: no console
error, no failed request, no request to any other host. Served at the root and
under a sub-path, as a shared host would."""

from urllib.parse import urlparse

import pytest

from conftest import SUB_PATH
from in_browser import open_page, visit


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_every_page_loads_cleanly(browser, server, pages, base):
    local = urlparse(server).netloc
    offenders = []
    requests = []
    with open_page(browser) as page:
        path = None  # the page being loaded, named in each report
        page.on("console", lambda message: message.type == "error" and offenders.append(f"{path}: console error: {message.text}"))
        page.on("pageerror", lambda error: offenders.append(f"{path}: uncaught {error}"))
        page.on("requestfailed", lambda request: offenders.append(f"{path}: {request.url} failed: {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and offenders.append(f"{path}: {response.url} answered {response.status}"))
        page.on("request", lambda request: requests.append((path, request.url)))
        for path in pages:
            visit(page, server + base + path)
    assert len(requests) >= 2 * len(pages), "pages loaded without their stylesheets"
    offenders += [
        f"{on_page}: request to {url}"
        for on_page, url in requests
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).netloc != local
    ]
    assert offenders == [], "\n".join(offenders)
