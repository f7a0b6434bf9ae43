/**
 * Where `demarche login` keeps what it needs between commands, under the
 * user's config folder ($XDG_CONFIG_HOME/demarche, else ~/.config/demarche):
 * `config.json` names the deployment's API (the profile), `credentials.json`
 * holds its tokens, readable by the user alone (0600). Refreshed with the
 * refresh token when the ID token nears its expiry; `demarche logout`
 * removes them.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { DemarcheError } from '../core/errors.js';

export interface Credentials {
  api: string;
  tokenUrl: string;
  clientId: string;
  idToken: string;
  refreshToken?: string;
  /** Epoch seconds the ID token expires at. */
  expiresAt: number;
}

export function configDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return join(base, 'demarche');
}

const file = (name: string) => join(configDir(), name);

function writePrivate(path: string, value: unknown): void {
  mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The API URL the profile names (written by `demarche login --api URL`). */
export function profileApi(): string | undefined {
  return readJson<{ api?: string }>(file('config.json'))?.api;
}

export function saveProfile(api: string): void {
  writePrivate(file('config.json'), { api });
}

export function loadCredentials(api: string): Credentials | undefined {
  const c = readJson<Credentials>(file('credentials.json'));
  return c?.api === api ? c : undefined;
}

export function saveCredentials(c: Credentials): void {
  writePrivate(file('credentials.json'), c);
}

/** Removes the cached tokens (and the profile); true when there were any. */
export function removeCredentials(): boolean {
  const had = existsSync(file('credentials.json'));
  rmSync(file('credentials.json'), { force: true });
  rmSync(file('config.json'), { force: true });
  return had;
}

/** A token response of the OAuth 2.0 token endpoint, as credentials. */
export function fromTokenResponse(
  base: Pick<Credentials, 'api' | 'tokenUrl' | 'clientId'> & { refreshToken?: string },
  body: Record<string, unknown>,
): Credentials {
  const idToken = body.id_token;
  if (typeof idToken !== 'string')
    throw new DemarcheError('LOGIN_FAILED', 'the sign-in server sent no ID token');
  const exp = decodeJwt(idToken).exp;
  return {
    ...base,
    idToken,
    ...(typeof body.refresh_token === 'string'
      ? { refreshToken: body.refresh_token }
      : base.refreshToken
        ? { refreshToken: base.refreshToken }
        : {}),
    expiresAt: typeof exp === 'number' ? exp : Math.floor(Date.now() / 1000) + 300,
  };
}

/** The cached ID token, refreshed first when it expires within a minute. */
export async function idTokenFor(api: string): Promise<string> {
  const c = loadCredentials(api);
  if (!c)
    throw new DemarcheError(
      'NOT_SIGNED_IN',
      `not signed in to ${api}: run demarche login --api ${api}`,
    );
  if (c.expiresAt - 60 > Date.now() / 1000) return c.idToken;
  if (!c.refreshToken)
    throw new DemarcheError('NOT_SIGNED_IN', `your sign-in to ${api} expired: run demarche login`);
  const res = await fetch(c.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: c.clientId,
      refresh_token: c.refreshToken,
    }),
  });
  if (!res.ok)
    throw new DemarcheError(
      'NOT_SIGNED_IN',
      `your sign-in to ${api} could not be renewed (${res.status}): run demarche login`,
    );
  const next = fromTokenResponse(c, (await res.json()) as Record<string, unknown>);
  saveCredentials(next);
  return next.idToken;
}
