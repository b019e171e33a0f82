// One action: its count over time (interval, date range, time zone), the events it matched
// (paged), the people, and an Explain panel for any of its events or the project's latest ones.
// The count and chart refresh by themselves.
import { html, useState, useEffect } from '../lib.js';
import { qs } from '../api.js';
import { CountChart } from './chart.js';
import { ExplainPanel } from './explain_panel.js';
import { stepSummary } from './actions_list.js';

const REFRESH_MS = 3000;
const PAGE = 20;
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
// The browser's IANA zones, with UTC and the browser's own zone, which the list may leave out.
const ZONES = (() => {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { /* an old browser: UTC only */ }
  return [...new Set(['UTC', LOCAL_ZONE, ...zones])];
})();

function EventsTable({ events, onExplain, explaining }) {
  return html`<table class="events"><thead><tr><th>Event</th><th>Person</th><th>URL</th><th>Time</th><th></th></tr></thead>
    <tbody>${events.map((e) => html`<tr key=${e.uuid} data-uuid=${e.uuid} class=${explaining === e.uuid ? 'selected' : ''}>
      <td>${e.event}</td><td>${e.distinct_id}</td><td class="url">${e.properties.$current_url || ''}</td>
      <td>${e.timestamp}</td>
      <td><button class="link" onClick=${() => onExplain(e.uuid)}>Explain</button></td></tr>`)}</tbody></table>`;
}

export function ActionPage({ api, project, canWrite, id }) {
  const base = `/api/projects/${project}/actions/${id}`;
  const [action, setAction] = useState(null);
  const [error, setError] = useState('');
  const [query, setQuery] = useState({ interval: 'day', date_from: '-7d', date_to: '', timezone: LOCAL_ZONE });
  const [count, setCount] = useState(null);
  const [tab, setTab] = useState('matched');
  const [events, setEvents] = useState({ results: [], next: null, cursor: null });
  const [people, setPeople] = useState(null);
  const [recent, setRecent] = useState([]);
  const [explain, setExplain] = useState(null);
  const [deleting, setDeleting] = useState(false);

  useEffect(() => { api.get(`${base}/`).then(setAction, (e) => setError(e.message)); }, [id]);

  useEffect(() => {
    let stopped = false;
    let timer;
    const load = async () => {
      try {
        const c = await api.get(`${base}/count/${qs(query)}`);
        if (!stopped) { setCount(c); setError(''); }
      } catch (e) {
        if (!stopped) setError(e.message);
      }
      if (!stopped) timer = setTimeout(load, REFRESH_MS);
    };
    load();
    return () => { stopped = true; clearTimeout(timer); };
  }, [id, JSON.stringify(query)]);

  // The first page of matched events follows new matches; older pages come from `next`.
  const loadEvents = async (cursor) => {
    const path = cursor || `/api/projects/${project}/events/${qs({ action_id: id, limit: PAGE })}`;
    const page = await api.get(path);
    const next = page.next ? new URL(page.next).pathname + new URL(page.next).search : null;
    setEvents({ results: page.results, next, cursor: cursor || null });
  };
  useEffect(() => {
    if (tab === 'matched' && !events.cursor) loadEvents(null).catch((e) => setError(e.message));
    if (tab === 'people') api.get(`${base}/people/${qs({ date_from: query.date_from, date_to: query.date_to, limit: 100 })}`).then(setPeople, (e) => setError(e.message));
    if (tab === 'recent') api.get(`/api/projects/${project}/events/${qs({ limit: PAGE })}`).then((p) => setRecent(p.results), (e) => setError(e.message));
  }, [tab, count && count.count]);

  if (!action) return error ? html`<p class="error" role="alert">${error}</p>` : html`<p class="loading">Loading…</p>`;
  const set = (f) => (e) => setQuery({ ...query, [f]: e.target.value });
  const remove = async () => {
    try {
      await api.patch(`${base}/`, { deleted: true });
      location.hash = '#/actions';
    } catch (e) {
      setError(e.message);
      setDeleting(false);
    }
  };
  return html`<section class="action-page">
    <div class="toolbar">
      <h1 class="name">${action.name}</h1>
      ${action.tags.map((t) => html`<span class="tag">${t}</span>`)}
      ${canWrite && html`<a class="button" href=${`#/actions/${id}/edit`}>Edit</a>
        ${deleting
          ? html`<span class="confirm">Delete this action? <button class="danger" onClick=${remove}>Yes, delete</button>
              <button class="link" onClick=${() => setDeleting(false)}>No</button></span>`
          : html`<button class="secondary" onClick=${() => setDeleting(true)}>Delete</button>`}`}
    </div>
    ${action.description && html`<p class="description">${action.description}</p>`}
    <p class="steps muted">${action.steps.map((s) => stepSummary(s)).join(' OR ')}</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <form class="controls" onSubmit=${(e) => e.preventDefault()}>
      <label>Interval <select value=${query.interval} onChange=${set('interval')} name="interval">
        ${['hour', 'day', 'week', 'month'].map((i) => html`<option value=${i}>${i}</option>`)}</select></label>
      <label>From <input name="date_from" value=${query.date_from} onChange=${set('date_from')} placeholder="-7d or 2026-01-01" /></label>
      <label>To <input name="date_to" value=${query.date_to} onChange=${set('date_to')} placeholder="now" /></label>
      <label>Time zone <select name="timezone" value=${query.timezone} onChange=${set('timezone')}>
        ${ZONES.map((z) => html`<option value=${z}>${z}</option>`)}</select></label>
    </form>
    <div class="total"><span class="big count" data-count=${count ? count.count : ''}>${count ? count.count : '…'}</span>
      events in range${count && count.is_calculating && html` <span class="calc">calculating${count.progress && count.progress.events_total ? ` ${Math.floor(100 * count.progress.events_scanned / count.progress.events_total)}%` : ''}</span>`}</div>
    ${count && count.series && html`<${CountChart} series=${count.series} interval=${count.interval} timeZone=${count.timezone} />`}
    <nav class="tabs">
      ${[['matched', 'Matched events'], ['people', 'People'], ['recent', 'Explain latest events']].map(([t, label]) => html`
        <button class=${tab === t ? 'tab active' : 'tab'} onClick=${() => setTab(t)}>${label}</button>`)}
    </nav>
    ${tab === 'matched' && html`<div>
      <${EventsTable} events=${events.results} onExplain=${setExplain} explaining=${explain} />
      ${!events.results.length && html`<p class="muted">No matched events yet.</p>`}
      <p class="pager">${events.cursor && html`<button class="link" onClick=${() => loadEvents(null)}>Newest</button>`}
        ${events.next && html`<button class="link" onClick=${() => loadEvents(events.next)}>Older →</button>`}</p></div>`}
    ${tab === 'people' && people && html`<table class="people"><thead><tr><th>Person</th><th>Distinct ids</th><th>Created</th></tr></thead>
      <tbody>${people.results[0].people.map((p) => html`<tr key=${p.id}><td>${p.name || p.id}</td>
        <td>${(p.distinct_ids || []).join(', ')}</td><td>${p.created_at}</td></tr>`)}</tbody></table>
      ${!people.results[0].people.length && html`<p class="muted">No people yet.</p>`}`}
    ${tab === 'recent' && html`<${EventsTable} events=${recent} onExplain=${setExplain} explaining=${explain} />`}
    ${explain && html`<${ExplainPanel} api=${api} project=${project} actionId=${id} uuid=${explain} onClose=${() => setExplain(null)} />`}
  </section>`;
}
