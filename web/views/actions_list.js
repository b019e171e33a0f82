// The actions list: name, step summary, count, people, a 7-day sparkline and backfill progress.
// Counts refresh every few seconds for the rows on screen only (docs/web.md §Actions list), so a
// project with 1,000 actions costs a page's worth of requests, not a thousand.
import { html, useState, useEffect, useMemo } from '../lib.js';
import { getAll, qs } from '../api.js';
import { Sparkline } from './sparkline.js';

const REFRESH_MS = 2000;
const PAGE_ROWS = 50;

export function stepSummary(step) {
  const parts = [];
  if (step.event) parts.push(step.event);
  if (step.url) parts.push(`url ${step.url_matching || 'contains'} ${step.url}`);
  if (step.tag_name) parts.push(`<${step.tag_name}>`);
  if (step.text) parts.push(`text "${step.text}"`);
  if (step.href) parts.push(`href ${step.href}`);
  if (step.selector) parts.push(`selector ${step.selector}`);
  if (step.properties && step.properties.length) parts.push(`${step.properties.length} filter(s)`);
  return parts.join(' · ') || 'any event';
}

function progressText(c) {
  if (!c || !c.is_calculating) return '';
  const p = c.progress;
  const pct = p && p.events_total ? Math.floor((100 * p.events_scanned) / p.events_total) : 0;
  return `calculating ${pct}%`;
}

export function ActionsList({ api, project, canWrite }) {
  const [actions, setActions] = useState(null);
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');
  const [shown, setShown] = useState(PAGE_ROWS);
  const [stats, setStats] = useState({});  // id → {count, is_calculating, progress, series, people}

  useEffect(() => {
    getAll(api, `/api/projects/${project}/actions/?limit=500`)
      .then(setActions, (e) => setError(e.message));
  }, [api, project]);

  const matching = useMemo(() => {
    if (!actions) return [];
    const needle = search.trim().toLowerCase();
    return needle ? actions.filter((a) => a.name.toLowerCase().includes(needle)) : actions;
  }, [actions, search]);
  const visible = matching.slice(0, shown);
  const visibleIds = visible.map((a) => a.id).join(',');

  useEffect(() => {
    if (!visible.length) return undefined;
    let stopped = false;
    let round = 0;
    const base = `/api/projects/${project}/actions`;
    const refresh = async () => {
      const withPeople = round++ % 5 === 0;  // the people list is heavier: every 5th round
      const results = await Promise.all(visible.map(async (a) => {
        try {
          const [total, week, people] = await Promise.all([
            api.get(`${base}/${a.id}/count/`),
            api.get(`${base}/${a.id}/count/${qs({ interval: 'day', date_from: '-6d' })}`),
            withPeople ? api.get(`${base}/${a.id}/people/${qs({ date_from: 'all', limit: 100 })}`) : null,
          ]);
          return [a.id, { ...total, series: week.series, people }];
        } catch {
          return [a.id, null];
        }
      }));
      if (stopped) return;
      setStats((old) => {
        const next = { ...old };
        for (const [id, s] of results) {
          if (!s) continue;
          next[id] = { ...s, people: s.people || (old[id] && old[id].people) };
        }
        return next;
      });
    };
    let timer;
    const loop = async () => {
      await refresh();
      if (!stopped) timer = setTimeout(loop, REFRESH_MS);
    };
    loop();
    return () => { stopped = true; clearTimeout(timer); };
  }, [api, project, visibleIds]);

  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!actions) return html`<p class="loading">Loading actions…</p>`;
  return html`
    <section class="list">
      <div class="toolbar">
        <h1>Actions <span class="muted">${actions.length}</span></h1>
        <input type="search" placeholder="Search by name" aria-label="Search actions by name"
               value=${search} onInput=${(e) => { setSearch(e.target.value); setShown(PAGE_ROWS); }} />
        ${canWrite && html`<a class="button" href="#/actions/new">New action</a>`}
      </div>
      <table class="actions">
        <thead><tr><th>Name</th><th>Steps</th><th class="num">Count</th><th class="num">People</th>
          <th>Last 7 days</th></tr></thead>
        <tbody>
          ${visible.map((a) => {
            const s = stats[a.id];
            const people = s && s.people && s.people.results[0];
            return html`<tr key=${a.id} data-action-id=${a.id}>
              <td><a href=${`#/actions/${a.id}`} class="name">${a.name}</a>
                ${a.tags.map((t) => html` <span class="tag">${t}</span>`)}</td>
              <td class="steps">${a.steps.map((st) => stepSummary(st)).join(' OR ')}</td>
              <td class="num count">${s ? s.count : '…'}
                ${s && s.is_calculating && html`<div class="calc">${progressText(s)}</div>`}</td>
              <td class="num">${people ? `${people.count}${s.people.next ? '+' : ''}` : '…'}</td>
              <td class="sparkcell"><${Sparkline} series=${s && s.series} /></td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${!matching.length && html`<p class="muted">No action${search ? ' matches that name' : ' yet'}.</p>`}
      ${matching.length > shown && html`<button onClick=${() => setShown(shown + PAGE_ROWS)}>
        Show more (${matching.length - shown} left)</button>`}
    </section>`;
}
