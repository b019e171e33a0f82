// The actions list: name, step summary, count, people, a 7-day sparkline and backfill progress.
// Counts refresh every few seconds for the rows on screen only, two batch requests for all of
// them (docs/web.md, Actions list), so a project with 1,000 actions stays light.
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
      const ids = visible.map((a) => a.id).join(',');
      try {
        // Two requests for all the rows on screen (docs/api.md §9 "Counts of many actions").
        const [totals, weeks] = await Promise.all([
          api.get(`${base}/counts/${qs({ ids })}`),
          api.get(`${base}/counts/${qs({ ids, interval: 'day', date_from: '-6d' })}`),
        ]);
        const people = withPeople ? await Promise.all(visible.map((a) => api
          .get(`${base}/${a.id}/people/${qs({ date_from: 'all', limit: 100 })}`)
          .then((p) => [a.id, p], () => [a.id, null]))) : [];
        if (stopped) return;
        const series = Object.fromEntries(weeks.results.map((c) => [c.id, c.series]));
        const persons = Object.fromEntries(people);
        setStats((old) => {
          const next = { ...old };
          for (const c of totals.results) {
            next[c.id] = { ...c, series: series[c.id], people: persons[c.id] || (old[c.id] && old[c.id].people) };
          }
          return next;
        });
      } catch {
        // The next round tries again; the figures on screen stay.
      }
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
