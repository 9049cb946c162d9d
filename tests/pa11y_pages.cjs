// pa11y with HTML CodeSniffer (WCAG 2 AA, warnings included) on each page
// named in the JSON list argv[3] ([{url, actions}]), all in one Chromium
// (argv[2]); prints {url: issues} as JSON. Run by tests/test_accessibility.py.
const pa11y = require("pa11y");
const puppeteer = require("puppeteer");

(async () => {
  const [executablePath, pages] = process.argv.slice(2);
  const browser = await puppeteer.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  const found = {};
  try {
    for (const { url, actions } of JSON.parse(pages)) {
      const page = await browser.newPage();
      const result = await pa11y(url, {
        browser, page, actions, runners: ["htmlcs"], standard: "WCAG2AA", includeWarnings: true,
      });
      found[url] = result.issues.map(({ type, code, selector, context, message }) => ({ type, code, selector, context, message }));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
