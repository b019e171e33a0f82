// Drives Debian's chromium (headless, through playwright-core) over a page that loads the real
// posthog-js with autocapture on and sends to actiond. What the page does is fixed, so the test
// that runs this (tests/blackbox/posthog_js_browser_test.py) knows exactly what must count:
//   /          $pageview; a click on the span inside button.buy; a click on a.nav (to /pricing)
//   /pricing   $pageview; the form#signup submitted with requestSubmit() (no click)
// After each step it waits until actiond's events API shows the events that step sends, so a
// navigation never cuts a request short. Prints one JSON line: {"distinct_id", "version"}.
// Usage: node autocapture_browser.mjs PAGE_URL ACTIOND_URL PERSONAL_KEY
import { chromium } from 'playwright-core';

const [pageUrl, actiondUrl, personalKey] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 20000;

async function storedEvents() {
  const response = await fetch(`${actiondUrl}/api/projects/1/events/?limit=1000`, {
    headers: { Authorization: `Bearer ${personalKey}` },
  });
  if (!response.ok) throw new Error(`events API answered ${response.status}`);
  return (await response.json()).results;
}

// Waits until the stored events include `wanted` (a list of [event, $event_type or null]) on
// top of what was stored before; posthog-js sends asynchronously, so polling is the only way
// to know a step's requests have landed.
async function waitForEvents(before, wanted) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const events = await storedEvents();
    const fresh = events.filter((e) => !before.has(e.uuid));
    const missing = wanted.filter(
      ([name, type]) =>
        !fresh.some((e) => e.event === name && (type === null || e.properties.$event_type === type)),
    );
    if (missing.length === 0) return new Set(events.map((e) => e.uuid));
    if (Date.now() > deadline) {
      throw new Error(`events never arrived: ${JSON.stringify(missing)}; fresh: ${JSON.stringify(
        fresh.map((e) => [e.event, e.properties.$event_type]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage();
  if (process.env.ACTIOND_DEBUG) await page.addInitScript(() => { window.ACTIOND_DEBUG = true; });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || process.env.ACTIOND_DEBUG) {
      console.error('page console:', message.type(), message.text());
    }
  });
  // Every request the page makes and its answer, on stderr: what a failure report needs.
  page.on('requestfinished', async (request) => {
    const response = await request.response();
    console.error('request:', request.method(), request.url(), response && response.status());
  });
  page.on('requestfailed', (request) => {
    console.error('request failed:', request.method(), request.url(), request.failure().errorText);
  });

  let seen = new Set((await storedEvents()).map((e) => e.uuid));
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.posthog && window.posthog.__loaded);
  seen = await waitForEvents(seen, [['$pageview', null]]);

  await page.click('button.buy span.label');
  seen = await waitForEvents(seen, [['$autocapture', 'click']]);

  await page.click('a.nav');
  await page.waitForURL(/\/pricing$/);
  await page.waitForFunction(() => window.posthog && window.posthog.__loaded);
  seen = await waitForEvents(seen, [['$autocapture', 'click'], ['$pageview', null]]);

  await page.evaluate(() => document.querySelector('form#signup').requestSubmit());
  seen = await waitForEvents(seen, [['$autocapture', 'submit']]);

  const report = await page.evaluate(() => ({
    distinct_id: window.posthog.get_distinct_id(),
    version: window.posthog.version,
  }));
  console.log(JSON.stringify(report));
} finally {
  await browser.close();
}
