// The action editor: every field of PostHog's Action and ActionStep (docs/api.md §9.1, §9.2).
// A 400 from the server is shown next to the field its `attr` names (`steps__0__url`,
// `steps__1__properties__0__value`), and "Test on recent events" runs the unsaved steps
// through the explain endpoint (docs/api.md §10) over the project's newest events.
import { html, useState, useEffect } from '../lib.js';
import { ApiError, qs } from '../api.js';

const MATCHING = ['contains', 'exact', 'regex'];
const OPERATORS = ['exact', 'is_not', 'icontains', 'not_icontains', 'regex', 'not_regex', 'gt',
  'gte', 'lt', 'lte', 'between', 'not_between', 'min', 'max', 'is_set', 'is_not_set', 'in',
  'not_in', 'is_date_exact', 'is_date_before', 'is_date_after', 'semver_eq', 'semver_neq',
  'semver_gt', 'semver_gte', 'semver_lt', 'semver_lte'];
const TYPES = ['event', 'person', 'element'];
const TEST_EVENTS = 50;

const emptyStep = () => ({
  event: '', url: '', url_matching: 'contains', tag_name: '', text: '', text_matching: 'exact',
  href: '', href_matching: 'exact', selector: '', properties: [],
});

// A filter value as typed: JSON when it parses as a list or number, else the string itself.
function parseValue(text) {
  const t = text.trim();
  if (t.startsWith('[') || /^-?\d+(\.\d+)?$/.test(t)) {
    try { return JSON.parse(t); } catch { /* a string after all */ }
  }
  return text;
}
const showValue = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function toForm(action) {
  return {
    name: action.name || '', description: action.description || '',
    tags: (action.tags || []).join(', '), post_to_slack: !!action.post_to_slack,
    slack_message_format: action.slack_message_format || '',
    steps: (action.steps || []).map((s) => ({
      ...emptyStep(),
      ...Object.fromEntries(Object.entries(s).filter(([, v]) => v !== null)),
      properties: (s.properties || []).map((p) => ({
        key: p.key || '', value: showValue(p.value), operator: p.operator || 'exact', type: p.type || 'event',
      })),
    })),
  };
}

// The steps as the API takes them: blank fields are null, filter values parsed.
function stepsBody(steps) {
  const text = (v) => (v && v.trim() !== '' ? v : null);
  return steps.map((s) => ({
    event: text(s.event), url: text(s.url), url_matching: s.url_matching,
    tag_name: text(s.tag_name), text: text(s.text), text_matching: s.text_matching,
    href: text(s.href), href_matching: s.href_matching, selector: text(s.selector),
    properties: s.properties.map((p) => ({
      key: p.key, value: ['is_set', 'is_not_set'].includes(p.operator) ? null : parseValue(p.value),
      operator: p.operator, type: p.type,
    })),
  }));
}

function FieldError({ error, attr }) {
  if (!error || error.attr !== attr) return null;
  return html`<span class="field-error" role="alert" data-attr=${attr}>${error.message}</span>`;
}

function Text({ label, value, onInput, error, attr, placeholder, wide }) {
  return html`<label class=${`field ${wide ? 'wide' : ''} ${error && error.attr === attr ? 'invalid' : ''}`}>
    <span>${label}</span>
    <input value=${value} placeholder=${placeholder || ''} name=${attr}
           onInput=${(e) => onInput(e.target.value)} />
    <${FieldError} error=${error} attr=${attr} /></label>`;
}

function Select({ label, value, options, onChange, attr, error }) {
  return html`<label class="field narrow"><span>${label}</span>
    <select value=${value} name=${attr} onChange=${(e) => onChange(e.target.value)}>
      ${options.map((o) => html`<option value=${o}>${o}</option>`)}
    </select><${FieldError} error=${error} attr=${attr} /></label>`;
}

function StepEditor({ step, index, update, remove, error }) {
  const a = (f) => `steps__${index}__${f}`;
  const set = (f) => (v) => update({ ...step, [f]: v });
  const setProp = (i, f, v) => update({
    ...step, properties: step.properties.map((p, j) => (j === i ? { ...p, [f]: v } : p)),
  });
  return html`<fieldset class="step" data-step=${index}>
    <legend>${index === 0 ? 'Match events where' : 'OR where'} (step ${index + 1})</legend>
    <div class="row">
      <${Text} label="Event name" value=${step.event} onInput=${set('event')} attr=${a('event')} error=${error}
               placeholder="any event (e.g. $pageview, $autocapture, signed_up)" wide />
    </div>
    <div class="row">
      <${Text} label="URL" value=${step.url} onInput=${set('url')} attr=${a('url')} error=${error} wide />
      <${Select} label="URL matching" value=${step.url_matching} options=${MATCHING}
                 onChange=${set('url_matching')} attr=${a('url_matching')} error=${error} />
    </div>
    <div class="row">
      <${Text} label="Element tag" value=${step.tag_name} onInput=${set('tag_name')} attr=${a('tag_name')} error=${error} placeholder="button" />
      <${Text} label="Text" value=${step.text} onInput=${set('text')} attr=${a('text')} error=${error} />
      <${Select} label="Text matching" value=${step.text_matching} options=${MATCHING}
                 onChange=${set('text_matching')} attr=${a('text_matching')} error=${error} />
    </div>
    <div class="row">
      <${Text} label="Link href" value=${step.href} onInput=${set('href')} attr=${a('href')} error=${error} />
      <${Select} label="Href matching" value=${step.href_matching} options=${MATCHING}
                 onChange=${set('href_matching')} attr=${a('href_matching')} error=${error} />
      <${Text} label="CSS selector" value=${step.selector} onInput=${set('selector')} attr=${a('selector')} error=${error} placeholder="nav a.cta" />
    </div>
    <div class="props">
      <span class="sub">Property filters (all must pass)</span>
      ${step.properties.map((p, i) => {
        const pa = (f) => `steps__${index}__properties__${i}__${f}`;
        return html`<div class="row prop" data-prop=${i}>
          <${Text} label="Key" value=${p.key} onInput=${(v) => setProp(i, 'key', v)} attr=${pa('key')} error=${error} />
          <${Select} label="Operator" value=${p.operator} options=${OPERATORS}
                     onChange=${(v) => setProp(i, 'operator', v)} attr=${pa('operator')} error=${error} />
          <${Text} label="Value" value=${p.value} onInput=${(v) => setProp(i, 'value', v)} attr=${pa('value')} error=${error}
                   placeholder='text, number or ["a","b"]' />
          <${Select} label="Type" value=${p.type} options=${TYPES}
                     onChange=${(v) => setProp(i, 'type', v)} attr=${pa('type')} error=${error} />
          <button type="button" class="link" onClick=${() => update({ ...step, properties: step.properties.filter((_, j) => j !== i) })}>remove filter</button>
        </div>`;
      })}
      <${FieldError} error=${error} attr=${`steps__${index}__properties`} />
      <button type="button" class="link" onClick=${() => update({ ...step, properties: [...step.properties, { key: '', value: '', operator: 'exact', type: 'event' }] })}>+ property filter</button>
    </div>
    <button type="button" class="link danger" onClick=${remove}>Remove step</button>
  </fieldset>`;
}

function TestResult({ result }) {
  if (!result) return null;
  if (result.error) return html`<p class="error" role="alert">${result.error}</p>`;
  return html`<div class="test-result" role="status">
    <p><strong>${result.matched.length}</strong> of the ${result.tested} most recent events would match.</p>
    ${result.matched.length > 0 && html`<table class="events"><thead><tr><th>Event</th><th>Person</th><th>URL</th><th>Time</th></tr></thead>
      <tbody>${result.matched.slice(0, 5).map((e) => html`<tr key=${e.uuid}><td>${e.event}</td><td>${e.distinct_id}</td>
        <td class="url">${e.properties.$current_url || ''}</td><td>${e.timestamp}</td></tr>`)}</tbody></table>`}
  </div>`;
}

export function ActionEditor({ api, project, canWrite, id }) {
  const [form, setForm] = useState(id ? null : { ...toForm({}), steps: [emptyStep()] });
  const [error, setError] = useState(null);  // {message, attr}
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState(null);
  const base = `/api/projects/${project}/actions`;

  useEffect(() => {
    if (id) api.get(`${base}/${id}/`).then((a) => setForm(toForm(a)), (e) => setError({ message: e.message, attr: null }));
  }, [id]);

  if (!canWrite) return html`<p class="error">This key cannot change actions (it lacks the action:write scope).</p>`;
  if (!form) return error ? html`<p class="error" role="alert">${error.message}</p>` : html`<p class="loading">Loading…</p>`;

  const set = (f) => (v) => setForm({ ...form, [f]: v });
  const body = () => ({
    name: form.name, description: form.description,
    tags: form.tags.split(',').map((t) => t.trim()).filter(Boolean),
    post_to_slack: form.post_to_slack, slack_message_format: form.slack_message_format,
    steps: stepsBody(form.steps),
  });
  const save = async (e) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const saved = id ? await api.patch(`${base}/${id}/`, body()) : await api.post(`${base}/`, body());
      location.hash = `#/actions/${saved.id}`;
    } catch (err) {
      setError({ message: err.message, attr: err instanceof ApiError ? err.attr : null });
    } finally {
      setSaving(false);
    }
  };
  const runTest = async () => {
    setTest({ running: true });
    setError(null);
    try {
      const events = (await api.get(`/api/projects/${project}/events/${qs({ limit: TEST_EVENTS })}`)).results;
      const steps = stepsBody(form.steps);
      const matched = [];
      // A few explain requests at a time: the steps are compiled and checked by the server, the
      // same code ingestion uses, so the answer is what a save would count.
      for (let i = 0; i < events.length; i += 8) {
        const chunk = events.slice(i, i + 8);
        const answers = await Promise.all(chunk.map((ev) => api.post(`${base}/explain/`, { steps, uuid: ev.uuid })));
        answers.forEach((a, j) => { if (a.matched) matched.push(chunk[j]); });
      }
      setTest({ tested: events.length, matched });
    } catch (err) {
      if (err instanceof ApiError && err.attr) setError({ message: err.message, attr: err.attr });
      setTest({ error: err.message });
    }
  };
  const known = error && error.attr && document.querySelector(`[name="${CSS.escape(error.attr)}"]`);
  return html`<form class="editor" onSubmit=${save} novalidate>
    <h1>${id ? 'Edit action' : 'New action'}</h1>
    ${error && !known && html`<p class="error" role="alert">${error.message}${error.attr ? ` (${error.attr})` : ''}</p>`}
    <div class="row">
      <${Text} label="Name" value=${form.name} onInput=${set('name')} attr="name" error=${error} wide />
    </div>
    <div class="row">
      <label class="field wide"><span>Description</span>
        <textarea name="description" value=${form.description} onInput=${(e) => set('description')(e.target.value)}></textarea>
        <${FieldError} error=${error} attr="description" /></label>
    </div>
    <div class="row">
      <${Text} label="Tags (comma separated)" value=${form.tags} onInput=${set('tags')} attr="tags" error=${error} wide />
    </div>
    <div class="row">
      <label class="check"><input type="checkbox" name="post_to_slack" checked=${form.post_to_slack}
        onChange=${(e) => set('post_to_slack')(e.target.checked)} /> Post to Slack / webhook when it matches</label>
      <${FieldError} error=${error} attr="post_to_slack" />
    </div>
    ${form.post_to_slack && html`<div class="row">
      <${Text} label="Message format" value=${form.slack_message_format} onInput=${set('slack_message_format')}
               attr="slack_message_format" error=${error} placeholder="[user.name] did [event.name]" wide />
    </div>`}
    <${FieldError} error=${error} attr="steps" />
    ${form.steps.map((s, i) => html`<${StepEditor} key=${i} step=${s} index=${i} error=${error}
        update=${(ns) => setForm({ ...form, steps: form.steps.map((x, j) => (j === i ? ns : x)) })}
        remove=${() => setForm({ ...form, steps: form.steps.filter((_, j) => j !== i) })} />`)}
    <p><button type="button" class="secondary" onClick=${() => setForm({ ...form, steps: [...form.steps, emptyStep()] })}>+ Add step (OR)</button></p>
    <div class="buttons">
      <button type="submit" disabled=${saving}>${saving ? 'Saving…' : 'Save'}</button>
      <button type="button" class="secondary" onClick=${runTest} disabled=${test && test.running}>Test on recent events</button>
      <a href=${id ? `#/actions/${id}` : '#/actions'}>Cancel</a>
    </div>
    ${test && test.running ? html`<p class="loading">Testing…</p>` : html`<${TestResult} result=${test} />`}
  </form>`;
}
