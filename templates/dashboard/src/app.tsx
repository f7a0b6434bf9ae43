/**
 * The dashboard: who is signed in, which page the address names, and the
 * frame around every page (header, sign-out, the "times in" menu). Pages are
 * chosen from the route (route.ts); a new page is one more case here.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, onSignedOut, session } from './api/client.js';
import { finishLogin, signOut, takeLinkToken } from './api/login.js';
import type { Me } from './api/types.js';
import { CampaignPage } from './campaign/CampaignPage.js';
import { CampaignList } from './pages/CampaignList.js';
import { NewCampaign } from './pages/NewCampaign.js';
import { Login } from './pages/Login.js';
import { Directory } from './directory/Directory.js';
import { TargetPage } from './directory/TargetPage.js';
import { parseRoute, type Route } from './route.js';
import {
  browserZone,
  MeContext,
  saveZoneChoice,
  zoneChoice,
  ZoneChoiceContext,
  type ZoneChoice,
} from './ui/context.js';
import { zoneCity } from './format/time.js';

type Auth = { state: 'checking' } | { state: 'out'; error?: string } | { state: 'in'; me: Me };

function ZoneMenu(props: { choice: ZoneChoice; onChange: (c: ZoneChoice) => void }) {
  return (
    <label class="zone-menu">
      Times in{' '}
      <select
        id="zone-choice"
        value={props.choice}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as ZoneChoice)}
      >
        <option value="campaign">the campaign's zone</option>
        <option value="mine">my zone ({zoneCity(browserZone())})</option>
        <option value="UTC">UTC</option>
      </select>
    </label>
  );
}

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const [choice, setChoice] = useState<ZoneChoice>(zoneChoice);

  async function signIn(): Promise<void> {
    if (!session.token()) {
      try {
        await finishLogin();
      } catch (err) {
        setAuth({ state: 'out', error: (err as Error).message });
        return;
      }
    }
    if (!session.token()) {
      setAuth({ state: 'out' });
      return;
    }
    try {
      setAuth({ state: 'in', me: await get<Me>('/api/me') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return; // onSignedOut has run
      setAuth({ state: 'out', error: (err as Error).message });
    }
  }

  useEffect(() => {
    onSignedOut(() => setAuth({ state: 'out', error: 'Your sign-in has expired: sign in again.' }));
    takeLinkToken();
    setRoute(parseRoute(location.hash));
    void signIn();
    const onHash = () => {
      if (takeLinkToken()) void signIn();
      setRoute(parseRoute(location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const me = auth.state === 'in' ? auth.me : undefined;
  return (
    <MeContext.Provider value={me}>
      <ZoneChoiceContext.Provider value={choice}>
        <a
          class="skip"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          Skip to the content
        </a>
        <header class="top">
          <p class="brand">
            <a href="#/">demarche</a> <span>staff dashboard</span>
          </p>
          {me ? (
            <>
              <a id="nav-directory" href="#/d">
                Directory
              </a>
              <ZoneMenu
                choice={choice}
                onChange={(c) => {
                  saveZoneChoice(c);
                  setChoice(c);
                }}
              />
              <p id="who" class="who">
                {me.email ?? me.sub} ({me.role})
              </p>
              <button
                type="button"
                id="signout"
                onClick={() => {
                  signOut();
                  setAuth({ state: 'out' });
                }}
              >
                Sign out
              </button>
            </>
          ) : null}
        </header>
        <main id="main" tabIndex={-1}>
          {auth.state === 'checking' ? <p class="muted">Signing in…</p> : null}
          {auth.state === 'out' ? (
            <Login error={auth.error} onSignedIn={() => void signIn()} />
          ) : null}
          {me && route.page === 'list' ? <CampaignList /> : null}
          {me && route.page === 'new' ? <NewCampaign /> : null}
          {me && route.page === 'directory' ? <Directory params={route.params} /> : null}
          {me && route.page === 'target' ? <TargetPage key={route.id} id={route.id} /> : null}
          {me && route.page === 'campaign' ? (
            <CampaignPage key={route.id} id={route.id} tab={route.tab} params={route.params} />
          ) : null}
        </main>
      </ZoneChoiceContext.Provider>
    </MeContext.Provider>
  );
}
