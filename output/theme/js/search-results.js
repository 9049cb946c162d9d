/* Searching and the results, for search.html: an ES module that search.js
   imports once there is something to search for. It loads Pagefind's
   JavaScript API (pagefind/pagefind.js, written next to the pages by the
   build), which fetches the WebAssembly index. It only builds DOM nodes: no
   inline styles and no eval. */

const PAGE_SIZE = 10;
const form = document.getElementById("search-form");
const resultsSection = document.getElementById("search-results-section");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const fields = { q: form.elements.q, section: form.elements.section, topic: form.elements.topic };

let pagefind = null; // Pagefind's API, once connected
let remaining = []; // results found but not shown yet
let latest = 0; // number of the newest search; older ones drop their results

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

function separator() {
  const dot = element("span", "", " · ");
  dot.setAttribute("aria-hidden", "true");
  return dot;
}

function resultItem(result) {
  const { meta } = result;
  const article = element("article");
  const heading = element("h3", "teaser__title");
  const link = element("a", "", meta.title);
  link.href = result.url;
  heading.append(link);
  article.append(heading);
  // The byline with its disclosure (machine translation), as every listing shows it.
  const line = element("p", "teaser__meta");
  if (meta.byline) line.append(meta.byline);
  if (meta.date) {
    const time = element("time", "", meta.date_label || meta.date);
    time.dateTime = meta.date;
    if (meta.byline) line.append(separator());
    line.append(time);
  }
  if (line.childNodes.length) article.append(line);
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
  if (searchNumber !== latest) return;
  const items = results.map(resultItem);
  list.append(...items);
  more.hidden = remaining.length === 0;
  // After "Show more", reading continues at the first new result.
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

more.addEventListener("click", async () => {
  resultsSection.setAttribute("aria-busy", "true");
  await showMore(latest, true);
  resultsSection.setAttribute("aria-busy", "false");
});

/** Loads Pagefind from ``pagefindUrl``; it finds its index next to that file. */
export async function connect(pagefindUrl) {
  const module = await import(pagefindUrl);
  await module.init();
  pagefind = module;
}

/** Fetches the part of the index the words typed so far need. */
export function preload() {
  const { term } = query();
  // A failure here shows when the search is sent.
  if (term) pagefind.preload(term).catch(() => {});
}

/** Searches for what the form holds and lists what is found; throws if Pagefind fails. */
export async function search() {
  const wanted = query();
  const searchNumber = ++latest;
  list.replaceChildren();
  more.hidden = true;
  remaining = [];
  resultsSection.setAttribute("aria-busy", "true");
  try {
    if (!wanted.term && !wanted.section && !wanted.topic) {
      status.textContent = "Type a word, or choose a section or a topic.";
      return;
    }
    status.textContent = "Searching…";
    const filters = {};
    if (wanted.section) filters.section = wanted.section;
    if (wanted.topic) filters.topic = wanted.topic;
    // No words but a section or topic: every article filed there.
    const found = await pagefind.search(wanted.term || null, { filters });
    if (searchNumber !== latest) return;
    remaining = found.results;
    const count = remaining.length;
    await showMore(searchNumber, false);
    // Announced once the results are on the page.
    if (searchNumber === latest) status.textContent = summary(wanted, count);
  } finally {
    if (searchNumber === latest) resultsSection.setAttribute("aria-busy", "false");
  }
}
