// Drives actiond's web page (docs/web.md) in Debian's chromium, headless, through playwright-core:
// sign in, create an action through the form (a validation error shown at its field first), send
// events through the capture API and watch the count and chart change without a reload, explain a
// non-matching event, edit, delete; a hostile action name and hostile event data; a read-only
// key; a refused write showing the server's message; live events.
// Saves a screenshot of each page into SCREENSHOT_DIR and prints one JSON line of figures.
//
// Usage: node web_page.js BASE_URL PERSONAL_API_KEY PROJECT_TOKEN SCREENSHOT_DIR
const { chromium } = require('playwright-core');
const path = require('path');

const [base, key, token, shots] = process.argv.slice(2);
const origin = new URL(base).origin;
const STEP_MS = 10000;

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function api(method, p, body, bearer = key) {
  const res = await fetch(base + p, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function capture(events) {
  const res = await fetch(`${base}/batch/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api_key: token, batch: events }),
  });
  assert(res.ok, `capture answered ${res.status}`);
}

let n = 0;
const event = (name, extra = {}) => ({
  event: name, distinct_id: `user-${(n++) % 3}`, timestamp: new Date().toISOString(),
  properties: { $current_url: 'https://shop.example/welcome', ...extra },
});

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox'],
  });
  const figures = {};
  const foreign = [];
  const pageErrors = [];
  const dialogs = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin !== origin && u.protocol !== 'data:') foreign.push(r.url());
      assert(!r.url().includes('phx_'), `a key in a URL: ${r.url()}`);
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // The browser logs each refused request (the wrong key, the 400) itself: not a page error.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
    });
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });

    // First load: bytes over the wire (encoded bodies and headers) until the network is idle.
    let wire = 0;
    page.on('requestfinished', async (r) => {
      const s = await r.sizes().catch(() => null);
      if (s) wire += s.responseBodySize + s.responseHeadersSize;
    });
    await page.goto(base, { waitUntil: 'networkidle' });
    figures.first_load_bytes = wire;
    await page.getByLabel('Personal API key').waitFor();
    await shot('signin');

    // A wrong key shows the server's message and keeps nothing.
    await page.getByLabel('Personal API key').fill('phx_wrongwrongwrongwrongwrongwrongwrongwrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid' }).waitFor();

    await page.getByLabel('Personal API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Actions/ }).waitFor();
    assert(await page.evaluate(() => localStorage.length === 0), 'the key went to localStorage without "remember"');
    assert(await page.evaluate(() => Object.values(sessionStorage).some((v) => v.startsWith('phx_'))), 'the key is not kept for the tab');

    // Events before the action exists: the editor's test and the backfill see them.
    await capture([event('signed_up'), event('signed_up'), event('$pageview')]);

    // Create, with a validation error at its field first.
    await page.getByRole('link', { name: 'New action' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Signed up');
    await page.getByLabel('Event name').fill('signed_up');
    await page.getByLabel('URL', { exact: true }).fill('/blog/(');
    await page.getByLabel('URL matching').selectOption('regex');
    await page.getByRole('button', { name: 'Save' }).click();
    const urlError = page.locator('.field-error[data-attr="steps__0__url"]');
    await urlError.waitFor();
    assert((await urlError.textContent()).length > 0, 'the url error is empty');
    await shot('editor-validation-error');
    await page.locator('input[name="steps__0__url"]').fill('');
    await page.getByLabel('URL matching').selectOption('contains');
    await page.getByRole('button', { name: 'Test on recent events' }).click();
    await page.locator('.test-result').filter({ hasText: 'of the 3 most recent events would match' }).waitFor();
    assert((await page.locator('.test-result strong').textContent()) === '2', 'test on recent events: not 2 matches');
    await shot('editor-test');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('h1.name', { hasText: 'Signed up' }).waitFor();
    await page.locator('.count[data-count="2"]').waitFor();

    // New events: the count and the chart change without a reload.
    const t0 = Date.now();
    await capture([event('signed_up'), event('signed_up'), event('signed_up')]);
    await page.locator('.count[data-count="5"]').waitFor({ timeout: 5000 });
    await page.locator('.chart[data-total="5"]').waitFor({ timeout: 5000 });
    figures.action_page_update_ms = Date.now() - t0;
    await page.locator('.chart canvas').waitFor();
    await page.locator('.events tbody tr').first().waitFor();
    await shot('action');

    // Explain a non-matching event: its failing condition is shown.
    await capture([event('clicked_button')]);
    await page.getByRole('button', { name: 'Explain latest events' }).click();
    const row = page.locator('.events tbody tr').filter({ hasText: 'clicked_button' }).first();
    await row.waitFor();
    await row.getByRole('button', { name: 'Explain' }).click();
    await page.locator('.explain .verdict.fail').waitFor();
    const failing = page.locator('.explain tr.fail[data-field="event"]');
    await failing.waitFor();
    assert((await failing.textContent()).includes('clicked_button'), 'the failing condition does not show the value seen');
    await page.locator('.explain').scrollIntoViewIfNeeded();
    await shot('explain');

    // The list: count and people; a new event shows within 5 s without a reload.
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    const listRow = page.locator('tr', { has: page.locator('a.name', { hasText: 'Signed up' }) });
    await listRow.locator('td.count', { hasText: '5' }).waitFor();
    const t1 = Date.now();
    await capture([event('signed_up')]);
    await listRow.locator('td.count', { hasText: '6' }).waitFor({ timeout: 5000 });
    figures.list_update_ms = Date.now() - t1;
    await shot('actions');

    // Edit.
    await listRow.locator('a.name').click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Signed up (edited)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('h1.name', { hasText: 'Signed up (edited)' }).waitFor();

    // Live events.
    await page.getByRole('link', { name: 'Live events' }).click();
    await page.locator('.live tbody tr a.tag', { hasText: 'Signed up (edited)' }).first().waitFor();
    await shot('live-events');

    // Delete.
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await page.locator('a.name', { hasText: 'Signed up (edited)' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: /Actions/ }).waitFor();
    await page.locator('a.name', { hasText: 'Signed up (edited)' }).waitFor({ state: 'detached' });

    // A hostile name is text: those characters shown, nothing run.
    const hostile = '<img src=x onerror=alert(1)>';
    await api('POST', '/api/projects/1/actions/', { name: hostile, steps: [{ event: '<script>alert(2)</script>' }] });
    await page.evaluate(() => { window.__pwned = false; });
    await page.reload();
    const hostileLink = page.locator('a.name', { hasText: hostile });
    await hostileLink.waitFor();
    assert((await hostileLink.textContent()) === hostile, 'the hostile name is not shown as text');
    assert(await page.locator('table.actions img').count() === 0, 'an img element was made');
    // Hostile event data is text too: a name, a property and a URL in the live view.
    await capture([event(hostile, { $current_url: 'javascript:alert(3)', note: '<b onmouseover=alert(4)>x</b>' })]);
    await page.getByRole('link', { name: 'Live events' }).click();
    const hostileRow = page.locator('.live tbody tr', { hasText: hostile }).first();
    await hostileRow.waitFor();
    assert((await hostileRow.locator('td').first().textContent()) === hostile, 'the hostile event name is not text');
    assert(await page.locator('.live tbody img, .live tbody b, .live tbody a[href^="javascript"]').count() === 0,
      'hostile event data made elements');
    await page.getByRole('link', { name: 'Actions', exact: true }).click();
    await page.waitForTimeout(300);
    assert(dialogs.length === 0, `a dialog ran: ${dialogs}`);

    // Speed: a reload (the key kept for the tab) until the list is on screen.
    const t2 = Date.now();
    await page.reload();
    await page.locator('table.actions tbody tr').first().waitFor();
    figures.list_interactive_ms = Date.now() - t2;

    // Sign out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Personal API key').waitFor();
    assert(await page.evaluate(() => sessionStorage.length === 0 && localStorage.length === 0), 'signing out kept the key');

    // A read-only key sees no edit controls.
    const ro = await api('POST', '/api/personal_api_keys/', { label: 'read only', scopes: ['action:read'] });
    await page.getByLabel('Personal API key').fill(ro.value);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('a.name', { hasText: hostile }).waitFor();
    await page.locator('.badge', { hasText: 'read-only key' }).waitFor();
    assert(await page.getByRole('link', { name: 'New action' }).count() === 0, 'a read-only key sees New action');
    await page.locator('a.name', { hasText: hostile }).click();
    await page.locator('h1.name').waitFor();
    assert(await page.getByRole('link', { name: 'Edit' }).count() === 0, 'a read-only key sees Edit');
    assert(await page.getByRole('button', { name: 'Delete' }).count() === 0, 'a read-only key sees Delete');
    await shot('read-only');

    // A write the server refuses shows the server's message: a writing key revoked while its
    // editor is open.
    await page.getByRole('button', { name: 'Sign out' }).click();
    const rw = await api('POST', '/api/personal_api_keys/', { label: 'revoked', scopes: ['action:read', 'action:write'] });
    await page.getByLabel('Personal API key').fill(rw.value);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'New action' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Never saved');
    await api('DELETE', `/api/personal_api_keys/${rw.id}/`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('form.editor .error[role="alert"]', { hasText: 'is invalid' }).waitFor();

    assert(foreign.length === 0, `requests to other origins: ${foreign}`);
    assert(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
    console.log(JSON.stringify(figures));
  } catch (e) {
    // What the page showed when a step failed, for the log's reader.
    const pages = browser.contexts().flatMap((c) => c.pages());
    if (pages.length) await pages[0].screenshot({ path: path.join(shots, 'failure.png') }).catch(() => {});
    if (pageErrors.length) console.error(`page errors: ${pageErrors.join(' | ')}`);
    throw e;
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
