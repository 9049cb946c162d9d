// docs/architecture.md#search; its bytes count against the page's budget.
(() => {
  "use strict";

  const form = document.getElementById("search-form");
  const fallback = document.getElementById("search-fallback");
  const output = document.getElementById("search-output");
  const moduleUrl = new URL("search-results.js", document.currentScript.src).href;
  const pagefindUrl = new URL(form.dataset.pagefind, document.baseURI).href;
  let loading = null; // search-results.js, connected to Pagefind
  // An in-page jump (the skip link) fires popstate too: it must not undo what was typed.
  let shownQuery = location.search;

  function show(reason) {
    for (const message of fallback.querySelectorAll("[data-reason]")) {
      message.hidden = message.dataset.reason !== reason;
    }
    fallback.hidden = !reason;
    form.hidden = output.hidden = Boolean(reason);
  }

  function load() {
    loading ??= import(moduleUrl).then(async (module) => {
      await module.connect(pagefindUrl, (form.dataset.pagefindParts || "").split(" ").filter(Boolean));
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

  // how: "sent" from the form, "opened" with the address, "moved" in history.
  async function search(how) {
    output.setAttribute("aria-busy", "true");
    try {
      await (await load()).search(how);
    } catch (error) {
      show("failed");
      output.setAttribute("aria-busy", "false");
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
    search("sent");
  });
  window.addEventListener("popstate", () => {
    if (location.search === shownQuery) return;
    shownQuery = location.search;
    fillForm();
    search("moved");
  });
  if (location.search) search("opened");
})();
