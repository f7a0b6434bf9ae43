/**
 * Signing staff in. Locally, the login link `npm start` prints carries a
 * token in the address's fragment (#token=…), taken into sessionStorage and
 * removed from the address bar. In AWS, Cognito's hosted login with the
 * authorization-code flow and PKCE: no client secret lives in the page; the
 * code comes back as ?code=… and is exchanged for an ID token.
 */
import type { LoginSettings } from './types.js';
import { session } from './client.js';

const PKCE_KEY = 'demarche.pkce';
let settings: LoginSettings | null | undefined;

/** Where Cognito's login is (AWS), or null (locally). Read once from /dashboard/config.json. */
export async function loginSettings(): Promise<LoginSettings | null> {
  if (settings === undefined) {
    const res = await fetch('/dashboard/config.json');
    settings = res.ok ? ((await res.json()) as { login: LoginSettings | null }).login : null;
  }
  return settings;
}

const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const redirectUri = () => `${location.origin}/dashboard`;

/** Takes the login link's #token= into the session; true when it did. */
export function takeLinkToken(): boolean {
  const m = /^#token=([A-Za-z0-9_.-]+)/.exec(location.hash);
  if (!m) return false;
  session.set(m[1]!);
  history.replaceState(null, '', `${location.pathname}#/`);
  return true;
}

export async function startLogin(): Promise<void> {
  const login = await loginSettings();
  if (!login) return;
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
  );
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: login.clientId,
    redirect_uri: redirectUri(),
    scope: login.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${login.authorizeUrl}?${q}`);
}

/** Back from the login page with ?code=: exchanges it for an ID token. True when signed in. */
export async function finishLogin(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  const login = await loginSettings();
  if (!login) return false;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as {
    verifier?: string;
    state?: string;
  };
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}#/`);
  if (!saved.state || saved.state !== params.get('state') || !saved.verifier)
    throw new Error('The sign-in could not be verified: please sign in again.');
  const res = await fetch(login.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: login.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }),
  });
  if (!res.ok) throw new Error(`The sign-in failed (HTTP ${res.status}): please sign in again.`);
  session.set(((await res.json()) as { id_token: string }).id_token);
  return true;
}

/** Signs out: drops the token; in AWS also ends the Cognito session. */
export function signOut(): void {
  session.clear();
  if (settings) {
    const q = new URLSearchParams({ client_id: settings.clientId, logout_uri: redirectUri() });
    location.assign(`${settings.logoutUrl}?${q}`);
    return;
  }
  location.hash = '#/';
}
