// Sends events, an identify and an alias to actiond with the real posthog-node client (gzip on,
// its default), then prints one JSON line: {"uuids": [...], "errors": n, "version": "..."}.
// Usage: node send.js HOST TOKEN COUNT
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { PostHog } = require('posthog-node');

const [host, token, countText] = process.argv.slice(2);
const count = Number(countText || '1000');
const client = new PostHog(token, { host, flushAt: 100, flushInterval: 200, maxQueueSize: 100000 });
let errors = 0;
client.on('error', (e) => {
  errors += 1;
  console.error('posthog error:', e && e.message);
});

(async () => {
  const uuids = [];
  for (let i = 0; i < count; i++) {
    const uuid = crypto.randomUUID();
    uuids.push(uuid);
    client.capture({
      distinctId: `node-user-${i % 20}`,
      event: i % 10 === 0 ? 'signed_up' : '$pageview',
      uuid,
      properties: { n: i, $current_url: `https://example.com/p/${i % 7}` },
    });
  }
  client.identify({ distinctId: 'node-user-1', properties: { email: 'node1@example.com' } });
  client.alias({ distinctId: 'node-user-1', alias: 'node-anon-1' });
  await client.shutdown(60000);
  // The package's exports map hides package.json from require(): read the file.
  const pkg = path.join(__dirname, 'node_modules', 'posthog-node', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
  console.log(JSON.stringify({ uuids, errors, version }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
