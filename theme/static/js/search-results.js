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

// The line of details in the listings' order: date, byline, section; one
// element each, as macros/articles.html writes it (site.css draws the dots).
function detailsLine({ meta, filters }) {
  const line = element("p");
  if (meta.date) {
    const time = element("time", "", meta.date_label || meta.date);
    time.dateTime = meta.date;
    line.append(time);
  }
  if (meta.byline) line.append(element("span", "", meta.byline));
  // Pagefind keeps the filters in the page's order, the primary section first.
  const section = filters.section?.[0];
  if (section) {
    const item = element("span");
    item.append(element("span", "visually-hidden", "Section:\u00a0"), section);
    line.append(item);
  }
  return line;
}

// ``text``, which starts at ``at`` in the indexed content, with <mark> around
// the words found (``ranges`` of that content).
function marked(text, at, ranges) {
  const nodes = [];
  let last = 0;
  for (const [from, to] of ranges) {
    const start = Math.max(from - at, last);
    const end = Math.min(to - at, text.length);
    if (start >= end) continue;
    nodes.push(text.slice(last, start), element("mark", "", text.slice(start, end)));
    last = end;
  }
  nodes.push(text.slice(last));
  return nodes.filter((node) => node !== "");
}

// The standfirst and the excerpt, with the words found marked. Pagefind's
// excerpt is escaped text with <mark> around those words: only where they are
// is taken from it, so no markup of its own reaches the page. The excerpt
// leaves out what the headline and standfirst, shown above it, say (their
// words are marked there), and "…" shows where it cuts a sentence.
function texts({ excerpt, content, meta }) {
  const standfirst = meta.standfirst || "";
  const parts = [...new DOMParser().parseFromString(excerpt, "text/html").body.childNodes];
  const text = parts.map((node) => node.textContent).join("");
  const start = content.indexOf(text);
  if (start === -1) return { standfirst: [standfirst], excerpt: [] };
  const ranges = [];
  let at = start;
  for (const node of parts) {
    if (node.nodeName === "MARK") ranges.push([at, at + node.textContent.length]);
    at += node.textContent.length;
  }
  const lead = standfirst ? content.indexOf(standfirst) : -1;
  let from = Math.max(start, lead === -1 ? 0 : lead + standfirst.length);
  while (/\s/.test(content[from] || "")) from++;
  const end = start + text.length;
  const shown = from < end ? marked(content.slice(from, end), from, ranges) : [];
  if (shown.length) {
    if (!/(^|[.!?:”"])\s*$/.test(content.slice(0, from))) shown.unshift("…");
    if (end < content.length && !/[.!?”"]$/.test(text)) shown.push("…");
  }
  return { standfirst: lead === -1 ? [standfirst] : marked(standfirst, lead, ranges), excerpt: shown };
}

function resultItem(result) {
  const article = element("article");
  const title = element("h3");
  const link = element("a", "", result.meta.title);
  link.href = result.url;
  title.append(link);
  article.append(title, detailsLine(result));
  const { standfirst, excerpt } = texts(result);
  for (const [className, nodes] of [["", standfirst], ["search-result__excerpt", excerpt]]) {
    if (!nodes.length) continue;
    const paragraph = element("p", className);
    paragraph.append(...nodes);
    article.append(paragraph);
  }
  const item = element("li");
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

/** Loads Pagefind from ``pagefindUrl``; it finds its index next to that file,
    and merges the index of each of ``parts``, folders beside it (plugins/search_index). */
export async function connect(pagefindUrl, parts) {
  const module = await import(pagefindUrl);
  await module.init();
  await Promise.all(parts.map((part) => module.mergeIndex(new URL(`${part}/`, pagefindUrl).href)));
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
