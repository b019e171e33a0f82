// Live events: the project's newest events, refreshed every two seconds, with the actions each
// matched and an Explain button per event and action — the view kept open while wiring an SDK.
import { html, useState, useEffect } from '../lib.js';
import { getAll, qs } from '../api.js';
import { ExplainPanel } from './explain_panel.js';

const REFRESH_MS = 2000;
const LIMIT = 50;

export function LiveEvents({ api, project }) {
  const [events, setEvents] = useState([]);
  const [actions, setActions] = useState([]);
  const [explain, setExplain] = useState(null);  // {uuid, actionId}
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    getAll(api, `/api/projects/${project}/actions/?limit=500`).then(setActions, (e) => setError(e.message));
  }, [project]);

  useEffect(() => {
    if (paused) return undefined;
    let stopped = false;
    let timer;
    const load = async () => {
      try {
        // matched_actions: the server adds each event's matching live actions (docs/api.md §4).
        const page = await api.get(`/api/projects/${project}/events/${qs({ limit: LIMIT, matched_actions: 'true' })}`);
        if (stopped) return;
        setEvents(page.results);
        setError('');
      } catch (e) {
        if (!stopped) setError(e.message);
      }
      if (!stopped) timer = setTimeout(load, REFRESH_MS);
    };
    load();
    return () => { stopped = true; clearTimeout(timer); };
  }, [project, paused]);

  const byId = Object.fromEntries(actions.map((a) => [a.id, a]));
  return html`<section class="live">
    <div class="toolbar"><h1>Live events</h1>
      <button class="secondary" onClick=${() => setPaused(!paused)}>${paused ? 'Resume' : 'Pause'}</button>
      <span class="muted">${paused ? 'paused' : `newest ${LIMIT}, refreshed every ${REFRESH_MS / 1000} s`}</span></div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <table class="events"><thead><tr><th>Event</th><th>Person</th><th>URL</th><th>Time</th><th>Matched actions</th><th>Explain</th></tr></thead>
      <tbody>${events.map((e) => html`<tr key=${e.uuid} data-uuid=${e.uuid}>
        <td>${e.event}</td><td>${e.distinct_id}</td><td class="url">${e.properties.$current_url || ''}</td><td>${e.timestamp}</td>
        <td>${(e.matched_actions || []).map((id) => html`<a class="tag" href=${`#/actions/${id}`}>${byId[id] ? byId[id].name : id}</a> `)}</td>
        <td><select aria-label="Explain against action" value="" onChange=${(ev) => ev.target.value && setExplain({ uuid: e.uuid, actionId: ev.target.value })}>
          <option value="">Explain…</option>
          ${actions.map((a) => html`<option value=${a.id}>${a.name}</option>`)}</select></td>
      </tr>`)}</tbody></table>
    ${!events.length && html`<p class="muted">No events yet. Send one with the project token to /capture/ or posthog-js.</p>`}
    ${explain && html`<${ExplainPanel} key=${explain.uuid + explain.actionId} api=${api} project=${project}
        actionId=${explain.actionId} uuid=${explain.uuid} onClose=${() => setExplain(null)} />`}
  </section>`;
}
