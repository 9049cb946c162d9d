/* Searching and the results, for search.html: an ES module that search.js
   imports once there is something to search for. It loads Pagefind's
   JavaScript API (pagefind/pagefind.js, written next to the pages by the
   build), which fetches the WebAssembly index. It only builds DOM nodes: no
   inline styles and no eval. */

const PAGE_SIZE = 10;
const form = document.getElementById("search-form");
const output = document.getElementById("search-output");
const status = document.getElementById("search-status");
const resultsSection = document.getElementById("search-results-section");
const heading = document.getElementById("search-results-title");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const fields = { q: form.elements.q, section: form.elements.section, topic: form.elements.topic };
const pageTitle = document.title;

let pagefind = null; // Pagefind's API, once connected
let remaining = []; // results found but not shown yet
let latest = 0; // number of the newest search; older ones drop their results

function query() {
  return { term: fields.q.value.trim(), section: fields.section.value, topic: fields.topic.value };
}

// -- Rendering: results read as the teasers on every list page ----------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// As macros/articles.html writes it: a dot that is seen, and a semicolon that is heard.
function separator() {
  const dot = element("span", "", " · ");
  dot.setAttribute("aria-hidden", "true");
  return [element("span", "visually-hidden", ";\u00a0"), dot];
}

// The line of details in the listings' order: date, byline, section.
function detailsLine({ meta, filters }) {
  const line = element("p", "teaser__meta");
  const items = [];
  if (meta.date) {
    const time = element("time", "", meta.date_label || meta.date);
    time.dateTime = meta.date;
    items.push([time]);
  }
  if (meta.byline) items.push([meta.byline]);
  // Pagefind keeps the filters in the page's order, the primary section first.
  const section = filters.section?.[0];
  if (section) items.push([element("span", "visually-hidden", "Section:\u00a0"), section]);
  items.forEach((item, index) => line.append(...(index ? separator() : []), ...item));
  return line;
}

// Pagefind's excerpt is escaped text with <mark> around the words found; only
// text and <mark> are carried over, so nothing else can reach the page. The
// part that repeats the headline and standfirst, shown just above, is left
// out, and "…" marks where it starts or stops mid-sentence.
function excerptNodes({ excerpt, content, meta }) {
  const parts = [...new DOMParser().parseFromString(excerpt, "text/html").body.childNodes]
    .map((node) => [node.nodeName === "MARK", node.textContent]);
  const node = ([marked, text]) => (marked ? element("mark", "", text) : document.createTextNode(text));
  const text = parts.map(([, part]) => part).join("");
  const start = content.indexOf(text);
  if (start === -1) return parts.map(node);
  const end = start + text.length;
  // Where the headline and standfirst end, in the text Pagefind indexed.
  const lead = meta.standfirst ? content.indexOf(meta.standfirst) : -1;
  let from = Math.max(start, lead === -1 ? 0 : lead + meta.standfirst.length);
  while (/\s/.test(content[from] || "")) from++;
  if (from >= end) return [];
  let at = start;
  const nodes = [];
  for (const [marked, part] of parts) {
    const kept = part.slice(Math.max(0, from - at));
    at += part.length;
    if (kept) nodes.push(node([marked, kept]));
  }
  if (!/(^|[.!?:”"])\s*$/.test(content.slice(0, from))) nodes.unshift("…");
  if (end < content.length && !/[.!?”"]$/.test(text)) nodes.push("…");
  return nodes;
}

function resultItem(result) {
  const article = element("article");
  const title = element("h3", "teaser__title");
  const link = element("a", "", result.meta.title);
  link.href = result.url;
  title.append(link);
  article.append(title, detailsLine(result));
  if (result.meta.standfirst) article.append(element("p", "teaser__standfirst", result.meta.standfirst));
  const excerpt = excerptNodes(result);
  if (excerpt.length) {
    const paragraph = element("p", "search-result__excerpt");
    paragraph.append(...excerpt);
    article.append(paragraph);
  }
  const item = element("li", "teaser");
  item.append(article);
  return item;
}

// -- What the page says: the status line, the field, the title -----------------

function found(count) {
  return count === 0 ? "No article found" : count === 1 ? "1 article found" : `${count} articles found`;
}

function summary({ term, section, topic }, count) {
  const where = [
    section && `in the section ${fields.section.selectedOptions[0].text}`,
    topic && `on the topic ${topic}`,
  ].filter(Boolean);
  return [found(count), term && `for “${term}”`, ...where].filter(Boolean).join(" ") + ".";
}

// A status region speaks when its text changes: the same words a second time
// (a second empty search) differ by a no-break space, so they are spoken too.
function announce(text) {
  status.textContent = status.textContent === text ? `${text}\u00a0` : text;
}

// The title names the search and what it found:
// "“Wagner”, topic Bundeswehr: 1 article found – Search – Sahel Desk".
function setTitle({ term, section, topic }, count) {
  const label = [
    term && `“${term}”`,
    section && `section ${fields.section.selectedOptions[0].text}`,
    topic && `topic ${fields.topic.selectedOptions[0].text}`,
  ].filter(Boolean).join(", ");
  const title = count === undefined ? label : `${label}: ${found(count).toLowerCase()}`;
  document.title = label ? `${title[0].toUpperCase()}${title.slice(1)} – ${pageTitle}` : pageTitle;
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
  output.setAttribute("aria-busy", "true");
  await showMore(latest, true);
  output.setAttribute("aria-busy", "false");
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

/** Searches for what the form holds and lists what is found; throws if Pagefind fails.
    ``how``: "sent" from the form, "opened" with the address, "moved" in history. */
export async function search(how) {
  const wanted = query();
  const searchNumber = ++latest;
  list.replaceChildren();
  resultsSection.hidden = more.hidden = true;
  remaining = [];
  output.setAttribute("aria-busy", "true");
  try {
    const empty = !wanted.term && !wanted.section && !wanted.topic;
    fields.q.removeAttribute("aria-invalid");
    setTitle(wanted);
    if (empty) {
      // Sent empty: say what is missing. Back at the page as it opens: say nothing.
      if (how === "sent") {
        fields.q.setAttribute("aria-invalid", "true");
        announce("Type a word, or choose a section or a topic.");
      } else {
        status.textContent = "";
      }
      return;
    }
    announce("Searching…");
    const filters = {};
    if (wanted.section) filters.section = wanted.section;
    if (wanted.topic) filters.topic = wanted.topic;
    // No words but a section or topic: every article filed there.
    const results = await pagefind.search(wanted.term || null, { filters });
    if (searchNumber !== latest) return;
    remaining = results.results;
    const count = remaining.length;
    await showMore(searchNumber, false);
    if (searchNumber !== latest) return;
    resultsSection.hidden = count === 0;
    setTitle(wanted, count);
    // Announced once the results are on the page.
    announce(summary(wanted, count));
    // Opened with a search in the address (as the header's box sends it):
    // reading starts at the results, or at the field when there are none.
    if (how === "opened") (count ? heading : fields.q).focus();
  } finally {
    if (searchNumber === latest) output.setAttribute("aria-busy", "false");
  }
}
