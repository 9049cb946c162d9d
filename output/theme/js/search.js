/* The search page's script, kept small: it is all the page loads until there
   is something to search for. It swaps the page's no-JavaScript message for
   the form, or says why search cannot run. search-results.js, which loads
   Pagefind (far heavier than the page), is imported once the address holds
   a search or the reader uses the form. */
(() => {
  "use strict";

  const form = document.getElementById("search-form");
  const fallback = document.getElementById("search-fallback");
  const results = document.getElementById("search-results-section");
  const status = document.getElementById("search-status");
  const moduleUrl = new URL("search-results.js", document.currentScript.src).href;
  const pagefindUrl = new URL(form.dataset.pagefind, document.baseURI).href;
  let loading = null; // search-results.js, connected to Pagefind
  const pageTitle = document.title;
  // The query the form was last filled from or sent with: an in-page jump
  // (the skip link) also fires popstate, and must not undo what was typed.
  let shownQuery = location.search;

  function show(reason) {
    for (const message of fallback.querySelectorAll("[data-reason]")) {
      message.hidden = message.dataset.reason !== reason;
    }
    fallback.hidden = !reason;
    form.hidden = results.hidden = Boolean(reason);
  }

  function load() {
    loading ??= import(moduleUrl).then(async (module) => {
      await module.connect(pagefindUrl);
      return module;
    });
    return loading;
  }

  function fillForm() {
    const params = new URLSearchParams(location.search);
    for (const field of [form.elements.q, form.elements.section, form.elements.topic]) {
      field.value = params.get(field.name) || "";
      // A section or topic that does not exist (any more) means "all".
      if (field.selectedIndex === -1) field.value = "";
    }
  }

  // The title names the search the address holds: "“Wagner”, topic Bundeswehr – Search – Sahel Desk".
  function setTitle() {
    const { q, section, topic } = form.elements;
    const label = [
      q.value.trim() && `“${q.value.trim()}”`,
      section.value && `section ${section.selectedOptions[0].text}`,
      topic.value && `topic ${topic.selectedOptions[0].text}`,
    ].filter(Boolean).join(", ");
    document.title = label ? `${label[0].toUpperCase()}${label.slice(1)} – ${pageTitle}` : pageTitle;
  }

  async function search() {
    setTitle();
    // At once, while Pagefind may still be loading.
    results.setAttribute("aria-busy", "true");
    status.textContent = "Searching…";
    try {
      await (await load()).search();
    } catch (error) {
      show("failed");
      results.setAttribute("aria-busy", "false");
      console.error("Search failed:", error);
    }
  }

  // Browsers refuse to load the index from file:// URLs.
  if (location.protocol === "file:") return show("file");
  show("");
  fillForm();
  // Typing starts loading Pagefind and the part of the index the words need.
  form.addEventListener("input", () => load().then((module) => module.preload(), () => {}));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams([...new FormData(form)].filter(([, value]) => value.trim())).toString();
    // The address names the search: it can be bookmarked, shared and gone back to.
    history.pushState(null, "", params ? `?${params}` : location.pathname);
    shownQuery = location.search;
    search();
  });
  window.addEventListener("popstate", () => {
    if (location.search === shownQuery) return;
    shownQuery = location.search;
    fillForm();
    search();
  });
  if (location.search) search();
})();
