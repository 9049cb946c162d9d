/* Search for search.html, on Pagefind's JavaScript API (pagefind/pagefind.js,
   written next to the pages by the build).

   The page works without this script: its fallback box says that search needs
   JavaScript and links to the indexes. The script swaps that box for the form
   once Pagefind has loaded, or names the reason search cannot run (a copy
   opened from disk, where browsers block the index). It only builds DOM nodes:
   no inline styles and no eval, so a Content-Security-Policy of
   script-src 'self' 'wasm-unsafe-eval' (the index is WebAssembly) is all it
   needs. */
(() => {
  "use strict";

  const PAGE_SIZE = 10;
  const form = document.getElementById("search-form");
  const fallback = document.getElementById("search-fallback");
  const resultsSection = document.getElementById("search-results-section");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const fields = { q: form.elements.q, section: form.elements.section, topic: form.elements.topic };

  let pagefind = null; // Pagefind's API, once loaded
  let remaining = []; // results found but not shown yet
  let latest = 0; // number of the newest search; older ones drop their results

  // -- The page's state: fallback or form, and the query in the address --------

  function showFallback(reason) {
    for (const message of fallback.querySelectorAll("[data-reason]")) {
      message.hidden = message.dataset.reason !== reason;
    }
    fallback.hidden = false;
    form.hidden = true;
    resultsSection.hidden = true;
  }

  function showForm() {
    fallback.hidden = true;
    form.hidden = false;
    resultsSection.hidden = false;
  }

  function fillForm(params) {
    for (const [name, field] of Object.entries(fields)) {
      field.value = params.get(name) || "";
      // A section or topic that does not exist (any more) means "all".
      if (field.selectedIndex === -1) field.value = "";
    }
  }

  function formParams() {
    return new URLSearchParams([...new FormData(form)].filter(([, value]) => value.trim()));
  }

  function query() {
    return { term: fields.q.value.trim(), section: fields.section.value, topic: fields.topic.value };
  }

  // -- Rendering: results look like the teasers on every list page -------------

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind's excerpt is escaped text with <mark> around the words found.
  // Only text and <mark> are carried over, so nothing else can reach the page.
  function excerptNodes(html) {
    const parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    return [...parsed].map((node) =>
      node.nodeName === "MARK" ? element("mark", "", node.textContent) : document.createTextNode(node.textContent),
    );
  }

  function resultItem(result) {
    const { meta } = result;
    const article = element("article");
    const heading = element("h3", "teaser__title");
    const link = element("a", "", meta.title);
    link.href = result.url;
    heading.append(link);
    article.append(heading);
    if (meta.date) {
      const time = element("time", "", meta.date_label || meta.date);
      time.dateTime = meta.date;
      const line = element("p", "teaser__meta");
      line.append(time);
      article.append(line);
    }
    if (meta.standfirst) article.append(element("p", "teaser__standfirst", meta.standfirst));
    const excerpt = element("p", "search-result__excerpt");
    excerpt.append(...excerptNodes(result.excerpt));
    article.append(excerpt);
    const item = element("li", "teaser");
    item.append(article);
    return item;
  }

  function summary({ term, section, topic }, count) {
    const found = count === 0 ? "No article found" : count === 1 ? "1 article found" : `${count} articles found`;
    const where = [
      section && `in the section ${fields.section.selectedOptions[0].text}`,
      topic && `on the topic ${topic}`,
    ].filter(Boolean);
    return [found, term && `for “${term}”`, ...where].filter(Boolean).join(" ") + ".";
  }

  // -- Searching ----------------------------------------------------------------

  async function showMore(searchNumber, moveFocus) {
    const batch = remaining.splice(0, PAGE_SIZE);
    const results = await Promise.all(batch.map((result) => result.data()));
    if (searchNumber !== latest) return [];
    const items = results.map(resultItem);
    list.append(...items);
    more.hidden = remaining.length === 0;
    // After "Show more", reading continues at the first new result.
    if (moveFocus && items.length) items[0].querySelector("a").focus();
    return items;
  }

  async function search(wanted) {
    const searchNumber = ++latest;
    list.replaceChildren();
    more.hidden = true;
    remaining = [];
    if (!wanted.term && !wanted.section && !wanted.topic) {
      status.textContent = "Type a word, or choose a section or a topic.";
      resultsSection.setAttribute("aria-busy", "false");
      return;
    }
    resultsSection.setAttribute("aria-busy", "true");
    status.textContent = "Searching…";
    const filters = {};
    if (wanted.section) filters.section = wanted.section;
    if (wanted.topic) filters.topic = wanted.topic;
    try {
      // No words but a section or topic: every article filed there.
      const found = await pagefind.search(wanted.term || null, { filters });
      if (searchNumber !== latest) return;
      remaining = found.results;
      const count = remaining.length;
      await showMore(searchNumber, false);
      // Announced once the results are on the page.
      if (searchNumber === latest) status.textContent = summary(wanted, count);
    } catch (error) {
      showFallback("failed");
      console.error("Search failed:", error);
    } finally {
      if (searchNumber === latest) resultsSection.setAttribute("aria-busy", "false");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = formParams().toString();
    // The address names the search, so it can be bookmarked, shared and gone back to.
    history.pushState(null, "", params ? `?${params}` : location.pathname);
    search(query());
  });
  more.addEventListener("click", async () => {
    resultsSection.setAttribute("aria-busy", "true");
    await showMore(latest, true);
    resultsSection.setAttribute("aria-busy", "false");
  });
  window.addEventListener("popstate", () => {
    fillForm(new URLSearchParams(location.search));
    search(query());
  });

  async function start() {
    // Browsers refuse to load the index from file:// URLs: say so at once.
    if (location.protocol === "file:") {
      showFallback("file");
      return;
    }
    // JavaScript runs, so the reason the page gives without it no longer holds.
    fallback.hidden = true;
    try {
      const module = await import(new URL(form.dataset.pagefind, document.baseURI).href);
      await module.init();
      pagefind = module;
    } catch (error) {
      showFallback("failed");
      console.error("Search could not be loaded:", error);
      return;
    }
    // The form appears only once it can search.
    fillForm(new URLSearchParams(location.search));
    showForm();
    if (location.search) search(query());
  }

  start();
})();
