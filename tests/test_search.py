"""Search: the build indexes the articles with Pagefind, and the search page
finds, ranks and filters them in headless Chromium, served over HTTP at the
root and under a sub-path. Without JavaScript, and opened from disk, it says
why it cannot search and offers the indexes instead.

Ranking and filtering are proved on a second site: the published site with
only the test-only articles of tests/search_content/, so that what a search
finds depends on them alone, served with the strictest Content-Security-Policy
the search page can work under.
"""

import gzip
import json
import re
import shutil
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlparse

import pytest
from in_browser import AXE, AXE_TAGS, SEARCH_DONE
from playwright.sync_api import expect
from support import ARTICLE, ROOT, SEARCH_PAGE, SOURCE, SUB_PATH, QuietHandler, articles, read_front_matter, run_pelican

MALI = articles()[SOURCE]
SEARCH_CONTENT = ROOT / "tests" / "search_content"
FIXTURE = read_front_matter(SEARCH_CONTENT / "articles" / "2023-06-20-search-test-fixture.md")[0]
MINUSMA = read_front_matter(SEARCH_CONTENT / "articles" / "2023-06-21-search-test-minusma.md")[0]
# What the search page needs and nothing more: its own scripts, Pagefind's
# WebAssembly, its stylesheet file, and nothing inline.
STRICT_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"
)
INDEXES = {"Sections": "categories.html", "Topics": "tags.html", "Archives": "archives.html"}


def words(text):
    return " ".join(text.split())


# -- Driving the search page as a reader does ----------------------------------------


def wait_for_results(page):
    page.wait_for_selector(SEARCH_DONE)


def results(page):
    """The results shown, in order: headline, link, date, text and highlighted words."""
    return page.eval_on_selector_all(
        "main ol > li",
        """items => items.map((item) => ({
          title: item.querySelector("h3 a").textContent,
          href: item.querySelector("h3 a").href,
          date: item.querySelector("time")?.getAttribute("datetime"),
          date_text: item.querySelector("time")?.textContent,
          meta: item.querySelector("h3 + p")?.textContent,
          text: item.textContent,
          marked: [...item.querySelectorAll("mark")].map((mark) => mark.textContent),
        }))""",
    )


def search(page, site_url, word="", section="", topic=""):
    """Open the search page, fill in the form, send it; returns the results."""
    page.goto(site_url + SEARCH_PAGE)
    page.get_by_label("Words", exact=True).fill(word)
    page.get_by_label("Section", exact=True).select_option(section)
    page.get_by_label("Topic", exact=True).select_option(topic)
    page.locator("main").get_by_role("button", name="Search").click()
    wait_for_results(page)
    return results(page)


def status(page):
    return page.get_by_role("status").text_content()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


# -- The published site: what it finds must include the article, whatever else is published


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_searching_wagner_finds_the_article(page, server, pages, base):
    found = search(page, server + base, "Wagner")
    titles = [result["title"] for result in found]
    assert MALI["title"] in titles
    result = found[titles.index(MALI["title"])]
    assert result["date"] == MALI["date"].isoformat()[:10]
    article_date = pages[ARTICLE].css_first(".byline time")
    assert result["date_text"] == article_date.text()
    # A listing says what the text is, as the article's byline does (brief §8).
    byline = " ".join(pages[ARTICLE].css_first('[data-pagefind-meta="byline"]').text().split())
    assert "machine-translated" in byline and byline in result["meta"]
    assert words(MALI["summary"]) in words(result["text"])
    # The excerpt picks up after the standfirst, which is shown just above it.
    assert words(result["text"]).count(words(MALI["summary"])) == 1
    assert result["marked"] and all(word.lower() == "wagner" for word in result["marked"])
    # The result leads to the article, under the same sub-path.
    page.get_by_role("link", name=MALI["title"], exact=True).click()
    assert page.url.startswith(server + base)
    assert page.locator("h1").text_content() == MALI["title"]


def test_filtering_by_the_topic_bundeswehr_keeps_the_article(page, server):
    assert "Bundeswehr" in MALI["tags"]
    found = search(page, server, "Wagner", topic="Bundeswehr")
    assert MALI["title"] in [result["title"] for result in found]


def test_a_word_found_nowhere_says_so(page, server):
    assert search(page, server, "Zyzzyva") == []
    assert "No article found" in status(page)


def test_the_address_names_the_search_and_reopens_it(page, server):
    search(page, server, "Wagner", topic="Bundeswehr")
    assert parse_qs(urlparse(page.url).query) == {"q": ["Wagner"], "topic": ["Bundeswehr"]}
    page.goto(page.url)
    wait_for_results(page)
    assert page.get_by_label("Words", exact=True).input_value() == "Wagner"
    assert MALI["title"] in [result["title"] for result in results(page)]


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_no_request_leaves_the_local_host(page, server, base):
    local = urlparse(server).netloc
    requests = []
    problems = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: problems.append(f"{request.url} failed"))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.url}: {response.status}")
    )
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    assert search(page, server + base, "Wagner", topic="Bundeswehr")
    page.get_by_role("link", name=MALI["title"], exact=True).click()
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in url for url in requests), "the index was never loaded"
    offenders = [
        url for url in requests if urlparse(url).netloc != local and urlparse(url).scheme not in ("data", "blob")
    ]
    assert offenders == []
    assert problems == []


# -- Pagefind is loaded only once there is something to search for -----------------------


def record_requests(page):
    """The requests the page makes from now on, its workers' included, as URLs."""
    requests = []
    page.context.on("request", lambda request: requests.append(request))
    return requests


def pagefind_urls(requests):
    return [request.url for request in requests if "/pagefind/" in request.url]


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_without_a_query_the_search_page_loads_only_its_own_script(page, server, pages, base):
    requests = record_requests(page)
    page.goto(server + base + SEARCH_PAGE, wait_until="networkidle")
    assert page.get_by_label("Words", exact=True).is_visible()
    assert pagefind_urls(requests) == []
    own_scripts = [urljoin(page.url, script.attributes["src"]) for script in scripts(pages[SEARCH_PAGE])]
    assert [request.url for request in requests if request.resource_type == "script"] == own_scripts


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_typing_loads_pagefind_and_the_index_the_words_need_then_enter_finds(page, server, base):
    requests = record_requests(page)
    page.goto(server + base + SEARCH_PAGE, wait_until="networkidle")
    assert pagefind_urls(requests) == []
    page.get_by_label("Words", exact=True).focus()
    # Typing alone, before the search is sent, fetches Pagefind and a part of its index.
    with page.expect_request(lambda request: "/pagefind/index/" in request.url):
        page.keyboard.type("Wagner")
    assert all(url.startswith(server + base + "pagefind/") for url in pagefind_urls(requests))
    page.keyboard.press("Enter")
    wait_for_results(page)
    assert MALI["title"] in [result["title"] for result in results(page)]
    assert parse_qs(urlparse(page.url).query) == {"q": ["Wagner"]}


@pytest.mark.parametrize("base", ["", SUB_PATH], ids=["root", "sub-path"])
def test_opened_with_a_query_the_search_page_shows_the_results(page, server, base):
    page.goto(server + base + SEARCH_PAGE + "?q=Wagner&topic=Bundeswehr")
    wait_for_results(page)
    assert page.get_by_label("Words", exact=True).input_value() == "Wagner"
    assert page.get_by_label("Topic", exact=True).input_value() == "Bundeswehr"
    assert MALI["title"] in [result["title"] for result in results(page)]
    assert "1 article found" in status(page)


def test_going_back_shows_the_search_before(page, server):
    search(page, server, "Wagner")
    page.get_by_label("Words", exact=True).fill("Zyzzyva")
    page.get_by_label("Words", exact=True).press("Enter")
    wait_for_results(page)
    assert results(page) == []
    page.go_back()
    # The form shows the search before, and the search starts, in one step.
    expect(page.get_by_label("Words", exact=True)).to_have_value("Wagner")
    wait_for_results(page)
    assert MALI["title"] in [result["title"] for result in results(page)]


def test_an_in_page_jump_keeps_what_was_typed_and_announces_nothing(page, server):
    """The skip link changes the address's fragment, which fires popstate: the
    form must keep the words typed, and the status must not be spoken again."""
    page.goto(server + SEARCH_PAGE + "?q=Wagner")
    wait_for_results(page)
    said = status(page)
    page.evaluate("""() => {
      window.statusChanges = 0;
      new MutationObserver(() => window.statusChanges++).observe(
        document.getElementById("search-status"), {childList: true, characterData: true, subtree: true});
    }""")
    page.get_by_label("Words", exact=True).fill("Moura")
    page.get_by_role("link", name="Skip to content").focus()
    page.keyboard.press("Enter")
    assert urlparse(page.url).fragment == "main"
    assert page.evaluate("document.activeElement.id") == "main"
    # A search would have said "Searching…" at once; give it a moment to.
    page.wait_for_timeout(300)
    assert page.get_by_label("Words", exact=True).input_value() == "Moura"
    assert page.evaluate("window.statusChanges") == 0
    assert status(page) == said


def found(page):
    """What a title says of the results the page shows: "no article found", "1 article found", "2 articles found"."""
    count = len(results(page))
    return "no article found" if not count else f"{count} article{'s' if count > 1 else ''} found"


def test_the_title_names_the_search(page, server):
    site_title = "Search – Sahel Desk"
    page.goto(server + SEARCH_PAGE)
    assert page.title() == site_title
    search(page, server, "Wagner")
    assert results(page)
    assert page.title() == f"“Wagner”: {found(page)} – {site_title}"
    page.get_by_label("Topic", exact=True).select_option("Bundeswehr")
    page.locator("main").get_by_role("button", name="Search").click()
    wait_for_results(page)
    assert page.title() == f"“Wagner”, topic Bundeswehr: {found(page)} – {site_title}"
    page.go_back()
    wait_for_results(page)
    expect(page).to_have_title(f"“Wagner”: {found(page)} – {site_title}")
    search(page, server, "Zyzzyva")
    assert page.title() == f"“Zyzzyva”: no article found – {site_title}"
    # A section by its longer label, as the form shows it.
    page.goto(server + SEARCH_PAGE + "?section=UN")
    wait_for_results(page)
    assert results(page)
    assert page.title() == f"Section United Nations (UN): {found(page)} – {site_title}"


def test_when_pagefind_cannot_be_loaded_the_page_says_so_and_offers_the_indexes(page, server):
    page.route("**/pagefind/pagefind.js", lambda route: route.abort())
    page.goto(server + SEARCH_PAGE)
    page.get_by_label("Words", exact=True).fill("Wagner")
    page.get_by_label("Words", exact=True).press("Enter")
    page.wait_for_selector('[data-reason="failed"]:not([hidden])')
    assert page.get_by_text("Search could not be loaded").is_visible()
    assert_offers_the_indexes(page, lambda href: urljoin(page.url, href).removeprefix(server))


@pytest.mark.parametrize(
    ("word", "focused"), [("Wagner", "Results"), ("Zyzzyva", "Words")], ids=["results", "no-results"]
)
def test_the_header_box_searches_from_any_page_and_reading_starts_at_what_it_found(page, server, word, focused):
    page.goto(server + ARTICLE)
    box = page.get_by_role("search", name="Site").get_by_role("searchbox")
    box.fill(word)
    box.press("Enter")
    page.wait_for_url("**/" + SEARCH_PAGE + "?q=" + word)
    wait_for_results(page)
    titles = [result["title"] for result in results(page)]
    # Whatever else is published, the word the report has finds it; a made-up one finds nothing.
    assert MALI["title"] in titles if word == "Wagner" else titles == []
    # Focus is on the results' heading, or on the field when there are none; not left on <body>.
    name = page.evaluate("document.activeElement.textContent || document.activeElement.labels?.[0]?.textContent")
    assert name.strip() == focused


def test_before_a_search_the_page_has_no_results_and_says_nothing(page, server):
    page.goto(server + SEARCH_PAGE, wait_until="networkidle")
    assert page.get_by_label("Words", exact=True).is_visible()
    assert page.get_by_role("heading", name="Results").count() == 0
    assert page.locator("main").get_by_role("list").count() == 0
    assert status(page) == ""


def test_every_outcome_is_announced_a_repeated_empty_search_too(page, server):
    """The status line changes on every search sent, so that a screen reader speaks
    it each time; an empty search also marks the field invalid."""
    page.goto(server + SEARCH_PAGE, wait_until="networkidle")
    page.evaluate("""() => {
      window.said = [];
      const status = document.querySelector('[role="status"]');
      new MutationObserver(() => window.said.push(status.textContent)).observe(
        status, {childList: true, characterData: true, subtree: true});
    }""")
    field = page.get_by_label("Words", exact=True)
    outcomes = []
    for word in ["", "", "Wagner", "Wagner", "Zyzzyva", "Zyzzyva", ""]:
        field.fill(word)
        page.locator("main").get_by_role("button", name="Search").click()
        wait_for_results(page)
        said = page.evaluate("window.said.splice(0)")
        outcomes.append((word, said[-1].strip() if said else None, field.get_attribute("aria-invalid")))
    assert outcomes == [
        ("", "Type a word, or choose a section or a topic.", "true"),
        ("", "Type a word, or choose a section or a topic.", "true"),
        ("Wagner", "1 article found for “Wagner”.", None),
        ("Wagner", "1 article found for “Wagner”.", None),
        ("Zyzzyva", "No article found for “Zyzzyva”.", None),
        ("Zyzzyva", "No article found for “Zyzzyva”.", None),
        ("", "Type a word, or choose a section or a topic.", "true"),
    ]


@pytest.mark.parametrize("word", ["Wagner", "mandate", "Diop", "Bundeswehr"])
def test_an_excerpt_adds_to_the_standfirst_and_marks_a_cut_sentence(page, server, pages, word):
    """The excerpt leaves out what the headline and standfirst above it say, and
    starts or ends with "…" exactly where it cuts a sentence of the text; the
    words found are marked, in the excerpt or in the standfirst."""
    offenders = []
    for result in search(page, server, word):
        # A result found by its headline alone has nothing to mark below it.
        unmarked = not result["marked"] and word.lower() not in result["title"].lower()
        if unmarked or any(word.lower() not in marked.lower() for marked in result["marked"]):
            offenders.append(f"{result['title']}: marked {result['marked']}")
        excerpt = page.locator("main ol > li", has=page.get_by_role("link", name=result["title"], exact=True)).locator(
            ".search-result__excerpt"
        )
        if not excerpt.count():
            continue
        text = words(excerpt.text_content())
        core = text.strip("…").strip()
        path = urlparse(result["href"]).path.removeprefix(urlparse(server).path)
        body = words(pages[path].css_first(".article-body").text())
        at = body.find(core)
        before, after = body[:at].rstrip(), body[at + len(core) :].strip()
        if at == -1:
            offenders.append(f"{path}: not in the text: {core}")
        elif text.startswith("…") != (before != "" and before[-1] not in '.!?:”"'):
            offenders.append(f"{path}: start: {text[:40]}")
        elif text.endswith("…") != (after != "" and core[-1] not in '.!?”"'):
            offenders.append(f"{path}: end: {text[-40:]}")
    assert offenders == []


def test_every_page_but_the_search_page_has_the_header_box(pages):
    """A plain GET form with a labelled q field, sent to the search page."""
    offenders = []
    for path, tree in pages.items():
        if path == SEARCH_PAGE:
            continue
        forms = tree.css('header form[role="search"]')
        form = forms[0] if len(forms) == 1 else None
        field = form.css_first('input[name="q"]') if form else None
        if (
            form is None
            or form.attributes.get("method") != "get"
            or unquote(urljoin("/" + path, form.attributes.get("action", ""))) != "/" + SEARCH_PAGE
            or field is None
            or tree.css_first(f'label[for="{field.attributes.get("id")}"]') is None
        ):
            offenders.append(path)
    assert offenders == []


def scripts(tree):
    """The <script> elements a browser runs: data blocks such as JSON-LD are not scripts."""
    runnable = ("", "text/javascript", "application/javascript", "module")
    return [node for node in tree.css("script") if (node.attributes.get("type") or "").lower() in runnable]


def test_only_the_search_page_has_scripts_and_they_are_files_of_the_site(pages, site):
    offenders = [path for path, tree in pages.items() if scripts(tree) and path != SEARCH_PAGE]
    assert offenders == []
    scripts_found = scripts(pages[SEARCH_PAGE])
    assert scripts_found, "the search page loads no script"
    for script in scripts_found:
        source = script.attributes.get("src")
        assert source and not script.text().strip(), "inline script"
        assert not urlparse(source).scheme and not source.startswith("/"), source
        assert (site / urljoin(SEARCH_PAGE, source)).is_file(), source
    assert pages[SEARCH_PAGE].css("[style]") == []


RUN_AXE = """(tags) => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then((result) => result.violations.map((rule) =>
  `${rule.id} (${rule.help}) at ${rule.nodes.map((node) => node.target.join(" ")).join("; ")}`))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("word", ["Wagner", "Zyzzyva"], ids=["results", "no-results"])
def test_the_search_page_after_a_search_has_no_axe_violation(browser, server, scheme, word):
    """The site-wide accessibility check sees the page before a search; this one after."""
    # The site's policy refuses injected scripts, and axe is one.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    try:
        page = context.new_page()
        search(page, server, word)
        page.add_script_tag(path=str(AXE))
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        assert page.evaluate(RUN_AXE, AXE_TAGS) == []
    finally:
        context.close()


def test_only_articles_are_indexed(site, pages):
    """Pagefind indexes the pages that carry data-pagefind-body: the articles."""
    indexed = sorted(path for path, tree in pages.items() if tree.css_first("[data-pagefind-body]"))
    published = sorted(path for path, tree in pages.items() if tree.css_first("article.article h1"))
    assert indexed == published and len(indexed) == len(articles())
    entries = [
        json.loads(path.read_text(encoding="utf-8")) for path in (site / "pagefind").rglob("pagefind-entry.json")
    ]
    assert sum(language["page_count"] for entry in entries for language in entry["languages"].values()) == len(indexed)


def test_each_article_is_indexed_by_its_headline_standfirst_and_body_alone(site, pages):
    """Pagefind keeps the words of the headline, standfirst and body (data-pagefind-body), in order: not the
    breadcrumbs, byline, boxes, map, timeline or sources around them; sections and topics are filters."""
    story = [("h1", None), ("p", "standfirst"), ("div", "article-body")]
    offenders, indexed = [], 0
    for fragment in (site / "pagefind").rglob("*.pf_fragment"):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        tree = pages[unquote(record["url"]).lstrip("/")]
        marked = tree.css("[data-pagefind-body]")
        expected = [part for part in story if part[1] != "standfirst" or tree.css_first(".standfirst")]
        if [(node.tag, node.attributes.get("class")) for node in marked] != expected:
            offenders.append((record["url"], "marked", [node.tag for node in marked]))
        shown = " ".join(node.text(separator=" ") for node in marked)
        if re.findall(r"\w+", shown) != re.findall(r"\w+", record["content"]):
            offenders.append((record["url"], "words"))
        for name in ("section", "topic"):
            values = [link.text() for link in tree.css(f'[data-pagefind-filter="{name}"]')]
            if sorted(record["filters"].get(name, [])) != sorted(values) or not values and name == "section":
                offenders.append((record["url"], name, record["filters"]))
        indexed += 1
    assert indexed == len(articles()) and offenders == []


# -- Where search cannot run ---------------------------------------------------------------


def assert_offers_the_indexes(page, resolve):
    main = page.locator("main")
    assert not main.get_by_label("Words", exact=True).is_visible()
    for name, target in INDEXES.items():
        link = main.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), name
        assert resolve(link.get_attribute("href")) == target


def test_without_javascript_the_search_page_says_so_and_offers_the_indexes(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        # No box is offered whose words the search page would then drop.
        page.goto(server + "index.html")
        assert page.get_by_role("search", name="Site").count() == 0
        page.goto(server + SEARCH_PAGE + "?q=Wagner")
        assert page.get_by_text("Search needs JavaScript").is_visible()
        assert_offers_the_indexes(page, lambda href: urljoin(page.url, href).removeprefix(server))
    finally:
        context.close()


def test_opened_from_disk_the_search_page_says_so_and_offers_the_indexes(page, site):
    page.goto((site / SEARCH_PAGE).as_uri() + "?q=Wagner")
    page.wait_for_selector('[data-reason="file"]:not([hidden])')
    assert page.get_by_text("opened from disk").is_visible()
    assert not page.get_by_text("Search needs JavaScript").is_visible()

    def resolve(href):
        file = Path(unquote(urlparse(urljoin(page.url, href)).path))
        assert file.is_file(), href
        return file.relative_to(site).as_posix()

    assert_offers_the_indexes(page, resolve)


# -- Ranking and filtering, on the published content plus one test-only article ---------


@pytest.fixture(scope="module")
def two_article_server(tmp_path_factory):
    content = tmp_path_factory.mktemp("search-content")
    shutil.copytree(ROOT / "content", content, dirs_exist_ok=True, ignore=shutil.ignore_patterns("articles"))
    shutil.copytree(SEARCH_CONTENT, content, dirs_exist_ok=True)
    # Every section an article names must be described (plugins/content_checks).
    with (content / "data" / "sections.yaml").open("a", encoding="utf-8") as sections:
        sections.write("fixtures:\n  title: Fixtures\n  description: Articles that exist only in the tests.\n")
    output = tmp_path_factory.mktemp("search-site")
    # One article a bundle: every search below merges two indexes.
    result = run_pelican(output, content=str(content), extra_settings={"SEARCH_INDEX_BATCH": 1})
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "pagefind" / "part-1" / "pagefind-entry.json").is_file()

    class StrictPolicyHandler(QuietHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", STRICT_POLICY)
            super().end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(StrictPolicyHandler, directory=str(output)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture
def strict_page(page):
    """A page that fails the test on any console error, such as a refused script or style."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    assert errors == []


# One fixture is about "mandate" (in its headline, and often), the other about
# Minusma; each names the other's word once.
@pytest.mark.parametrize(
    ("word", "expected"),
    [("mandate", [FIXTURE, MINUSMA]), ("Minusma", [MINUSMA, FIXTURE])],
    ids=["mandate", "Minusma"],
)
def test_results_are_ranked_by_relevance(strict_page, two_article_server, word, expected):
    found = search(strict_page, two_article_server, word)
    assert [result["title"] for result in found] == [article["title"] for article in expected]
    assert "2 articles found" in status(strict_page)


@pytest.mark.parametrize(
    ("word", "section", "topic", "expected"),
    [
        ("Minusma", "", "Bundeswehr", [MINUSMA]),  # one fixture has the topic, the other lacks it
        ("Minusma", "", "Fixture topic", [FIXTURE]),  # a topic the Minusma fixture lacks drops it
        ("Minusma", "Fixtures", "", [FIXTURE]),  # a section the Minusma fixture lacks drops it
        ("Minusma", "Mali", "", [MINUSMA]),  # a section the mandate fixture lacks drops it
        ("Minusma", "UN", "", [MINUSMA, FIXTURE]),  # both are in the UN section, still ranked
        ("mandate", "Mali", "Fixture topic", []),  # both filters must hold
        ("", "", "Fixture topic", [FIXTURE]),  # a filter alone lists what is filed there
        ("", "Bundeswehr", "", [MINUSMA]),
    ],
)
def test_filters_keep_what_matches_and_drop_the_rest(strict_page, two_article_server, word, section, topic, expected):
    found = search(strict_page, two_article_server, word, section=section, topic=topic)
    assert [result["title"] for result in found] == [article["title"] for article in expected]
