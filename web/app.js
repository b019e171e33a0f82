// actiond's web page (docs/web.md): sign-in, the project picker and hash routing between the
// views. Everything is rendered through htm templates, which put strings in as text: nothing from
// an event or an action is ever parsed as HTML.
import { html, render, useState, useEffect } from './lib.js';
import { makeApi, ApiError } from './api.js';
import { ActionsList } from './views/actions_list.js';
import { ActionEditor } from './views/action_editor.js';
import { ActionPage } from './views/action_page.js';
import { LiveEvents } from './views/live_events.js';

const KEY = 'actiond.personal_api_key';

// The key lives in sessionStorage (this tab only) unless "remember" put it in localStorage.
function storedKey() {
  return sessionStorage.getItem(KEY) || localStorage.getItem(KEY) || '';
}

function forgetKey() {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/actions');
  useEffect(() => {
    const onChange = () => setHash(location.hash || '#/actions');
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function SignIn({ onSignIn, error }) {
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    await onSignIn(key.trim(), remember);
    setBusy(false);
  };
  return html`
    <main class="signin">
      <h1>actiond</h1>
      <p>Actions: define them, count them, see why an event matched.</p>
      <form onSubmit=${submit}>
        <label for="key">Personal API key</label>
        <input id="key" name="key" type="password" autocomplete="off" value=${key}
               onInput=${(e) => setKey(e.target.value)} placeholder="phx_…" required />
        <label class="check"><input type="checkbox" checked=${remember}
               onChange=${(e) => setRemember(e.target.checked)} /> remember on this browser</label>
        <button type="submit" disabled=${busy}>Sign in</button>
        ${error && html`<p class="error" role="alert">${error}</p>`}
      </form>
      <p class="hint">The key was printed when actiond first started (and is in
        <code>DATA_DIR/initial-credentials</code>). It is sent only to this server, as a Bearer header.</p>
    </main>`;
}

function App() {
  const [session, setSession] = useState(null);  // {api, key, scopes, projects}
  const [error, setError] = useState('');
  const [project, setProject] = useState(null);
  const hash = useHash();

  const signIn = async (key, remember) => {
    setError('');
    const api = makeApi(key);
    try {
      const me = await api.get('/api/personal_api_keys/@current/');
      let projects = [];
      try {
        projects = (await api.get('/api/projects/?limit=1000')).results;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 403) throw e;
        projects = (me.scoped_teams.length ? me.scoped_teams : [1]).map((id) => ({ id, name: `Project ${id}` }));
      }
      forgetKey();
      (remember ? localStorage : sessionStorage).setItem(KEY, key);
      const scopes = me.scopes || [];
      setSession({
        api, scopes, projects,
        canWrite: scopes.includes('*') || scopes.includes('action:write'),
      });
      const saved = Number(sessionStorage.getItem('actiond.project'));
      setProject((projects.find((p) => p.id === saved) || projects[0] || { id: 1 }).id);
    } catch (e) {
      forgetKey();
      setSession(null);
      setError(e instanceof ApiError ? e.message : `Cannot reach actiond: ${e.message}`);
    }
  };

  useEffect(() => {
    const key = storedKey();
    if (key) signIn(key, !!localStorage.getItem(KEY));
  }, []);

  if (!session) return html`<${SignIn} onSignIn=${signIn} error=${error} />`;

  const signOut = () => {
    forgetKey();
    sessionStorage.removeItem('actiond.project');
    setSession(null);
    location.hash = '#/actions';
  };
  const pick = (id) => {
    sessionStorage.setItem('actiond.project', String(id));
    setProject(id);
    location.hash = '#/actions';
  };

  const parts = hash.replace(/^#\/?/, '').split('/');
  const ctx = { api: session.api, project, canWrite: session.canWrite };
  let view;
  if (parts[0] === 'events') {
    view = html`<${LiveEvents} key=${project} ...${ctx} />`;
  } else if (parts[0] === 'actions' && parts[1] === 'new') {
    view = html`<${ActionEditor} key=${'new' + project} ...${ctx} />`;
  } else if (parts[0] === 'actions' && parts[1] && parts[2] === 'edit') {
    view = html`<${ActionEditor} key=${parts[1]} id=${parts[1]} ...${ctx} />`;
  } else if (parts[0] === 'actions' && parts[1]) {
    view = html`<${ActionPage} key=${parts[1]} id=${parts[1]} ...${ctx} />`;
  } else {
    view = html`<${ActionsList} key=${project} ...${ctx} />`;
  }
  return html`
    <header class="top">
      <a class="brand" href="#/actions">actiond</a>
      <nav>
        <a href="#/actions" class=${parts[0] !== 'events' ? 'active' : ''}>Actions</a>
        <a href="#/events" class=${parts[0] === 'events' ? 'active' : ''}>Live events</a>
      </nav>
      <label class="picker">Project
        <select value=${project} onChange=${(e) => pick(Number(e.target.value))}>
          ${session.projects.map((p) => html`<option value=${p.id}>${p.name} (${p.id})</option>`)}
        </select>
      </label>
      ${!session.canWrite && html`<span class="badge" title="This key has no action:write scope">read-only key</span>`}
      <button class="link" onClick=${signOut}>Sign out</button>
    </header>
    <main>${view}</main>`;
}

// The "Loading" placeholder goes first: Preact would keep it beside the app.
const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
