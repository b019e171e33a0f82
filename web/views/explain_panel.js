// The Explain panel: for one event and one action (saved, by id), each step and each condition
// with what it expected, the value seen, and whether it passed (docs/api.md §10).
import { html, useState, useEffect } from '../lib.js';

const show = (v) => (v === null || v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));

export function ExplainPanel({ api, project, actionId, uuid, onClose }) {
  const [answer, setAnswer] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api.post(`/api/projects/${project}/actions/${actionId}/explain/`, { uuid })
      .then(setAnswer, (e) => setError(e.message));
  }, [actionId, uuid]);
  return html`<section class="explain" aria-label="Explain">
    <header><strong>Explain</strong> <span class="muted">event ${uuid}</span>
      ${onClose && html`<button class="link" onClick=${onClose}>close</button>`}</header>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${!answer && !error && html`<p class="loading">Explaining…</p>`}
    ${answer && html`<p class=${answer.matched ? 'verdict pass' : 'verdict fail'}>
        ${answer.matched ? 'Matched: some step passed.' : 'Not matched: no step passed.'}</p>
      ${answer.steps.map((s) => html`<div class="explain-step" key=${s.index}>
        <p>Step ${s.index + 1}: <strong class=${s.matched ? 'pass' : 'fail'}>${s.matched ? 'passed' : 'failed'}</strong></p>
        <table class="conditions"><thead><tr><th>Condition</th><th>Expected</th><th>Seen</th><th>Result</th><th>Why</th></tr></thead>
          <tbody>${s.conditions.map((c) => html`<tr class=${c.passed ? 'pass' : 'fail'} data-field=${c.field}>
            <td>${c.field}${c.key ? ` (${c.type || 'event'} ${c.key})` : ''}</td>
            <td>${c.operator || c.matching || ''} ${show(c.expected)}</td>
            <td>${show(c.actual)}</td>
            <td class="result">${c.passed ? 'passed' : 'failed'}</td>
            <td class="reason">${c.reason}</td></tr>`)}</tbody></table>
      </div>`)}`}
  </section>`;
}
