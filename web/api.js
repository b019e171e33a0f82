// The REST client: every call carries the key as a Bearer header (never in a URL), and a refusal
// becomes an ApiError holding PostHog's error shape {type, code, detail, attr}.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.attr = (body && body.attr) || null;
  }
}

export function makeApi(key) {
  async function call(method, path, body) {
    const headers = { Authorization: `Bearer ${key}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store',
    });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
  };
}

// A query string from an object, leaving out empty values.
export function qs(params) {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') s.set(k, v);
  }
  const text = s.toString();
  return text ? `?${text}` : '';
}

// Every page of a list endpoint ({results, next}); `next` is an absolute URL of this server.
export async function getAll(api, path) {
  const out = [];
  let next = path;
  while (next) {
    const page = await api.get(next);
    out.push(...page.results);
    next = page.next ? new URL(page.next).pathname + new URL(page.next).search : null;
  }
  return out;
}
