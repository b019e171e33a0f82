// PostHog's standard HTML snippet, pointed at actiond, on a page of another origin
// (http://site.test, served by playwright itself, so nothing leaves loopback): it must load
// /static/array.js from actiond (--posthog-js-dir) and send an event that actiond stores.
// Prints {"array_js_status", "requests", "event"} (the event as actiond's events API lists it)
// as one JSON line.
//
// Usage: node posthog_snippet.js BASE_URL PROJECT_TOKEN PERSONAL_API_KEY EVENT_NAME
const { chromium } = require('playwright-core');
const http = require('http');

const [base, token, key, eventName] = process.argv.slice(2);

// PostHog's snippet as its docs give it (the loader stub), then init and one capture.
// opt_out_useragent_filter: posthog-js drops the events of headless browsers and of
// navigator.webdriver as bots' otherwise.
const SNIPPET = `!function(t,e){var o,n,p,r;e.__SV||(window.posthog=e,e._i=[],e.init=function(i,s,a){function g(t,e){var o=e.split(".");2==o.length&&(t=t[o[0]],e=o[1]),t[e]=function(){t.push([e].concat(Array.prototype.slice.call(arguments,0)))}}(p=t.createElement("script")).type="text/javascript",p.crossOrigin="anonymous",p.async=!0,p.src=s.api_host.replace(".i.posthog.com","-assets.i.posthog.com")+"/static/array.js",(r=t.getElementsByTagName("script")[0]).parentNode.insertBefore(p,r);var u=e;for(void 0!==a?u=e[a]=[]:a="posthog",u.people=u.people||[],u.toString=function(t){var e="posthog";return"posthog"!==a&&(e+="."+a),t||(e+=" (stub)"),e},u.people.toString=function(){return u.toString(1)+".people (stub)"},o="init capture register register_once register_for_session unregister unregister_for_session getFeatureFlag getFeatureFlagPayload isFeatureEnabled reloadFeatureFlags identify setPersonProperties group resetGroups reset get_distinct_id getGroups get_session_id alias set_config opt_in_capturing opt_out_capturing has_opted_in_capturing has_opted_out_capturing debug".split(" "),n=0;n<o.length;n++)g(u,o[n]);e._i.push([i,s,a])},e.__SV=1)}(document,window.posthog||[]);
posthog.init(${JSON.stringify(token)}, {api_host: ${JSON.stringify(base)}, person_profiles: 'identified_only', autocapture: false, disable_session_recording: true, request_batching: false, opt_out_useragent_filter: true});
posthog.capture(${JSON.stringify(eventName)}, {from: 'snippet'});`;

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'],
  });
  // The customer's site: a real loopback server (Chrome lets a loopback page load from
  // loopback; a page it cannot place, such as one playwright fulfils, is refused).
  const site = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><html><head><script>${SNIPPET}</script></head><body>shop</body></html>`);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const SITE = `http://127.0.0.1:${site.address().port}/`;
  try {
    const page = await browser.newPage();
    // Only loopback: anything else is refused.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const requests = [];
    let arrayStatus = 0;
    page.on('response', (r) => {
      requests.push(`${r.status()} ${new URL(r.url()).pathname}`);
      if (r.url() === `${base}/static/array.js`) arrayStatus = r.status();
    });
    await page.goto(SITE);
    await page.waitForFunction(() => window.posthog && window.posthog.__loaded, null, { timeout: 15000 });
    // posthog-js may send with sendBeacon, which reports no response: ask actiond instead.
    let stored = null;
    for (let i = 0; i < 75 && !stored; i++) {
      const res = await fetch(`${base}/api/projects/@current/events/?event=${encodeURIComponent(eventName)}`,
        { headers: { Authorization: `Bearer ${key}` } });
      stored = (await res.json()).results[0] || null;
      if (!stored) await new Promise((r) => setTimeout(r, 200));
    }
    console.log(JSON.stringify({ array_js_status: arrayStatus, requests, event: stored }));
  } finally {
    await browser.close();
    site.close();
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
