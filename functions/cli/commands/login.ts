/**
 * `demarche login` and `demarche logout`: signing in to a deployment the way
 * the AWS CLI's SSO login and `gh auth login` do. The CLI opens (or prints)
 * the deployment's Cognito sign-in page with an authorization-code request
 * protected by PKCE (RFC 7636: no client secret on a laptop), receives the
 * code on a loopback server at 127.0.0.1, exchanges it for tokens and keeps
 * them in the user's config folder (0600) with the API's URL as the profile.
 */
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { CLI_LOGIN_PORT } from '../../adapters/config.js';
import { DemarcheError } from '../../core/errors.js';
import {
  fromTokenResponse,
  profileApi,
  removeCredentials,
  saveCredentials,
  saveProfile,
} from '../credentials.js';

export interface LoginOptions {
  api?: string;
  /** Only print the sign-in link (a machine without a browser). */
  browser?: boolean;
  /** The loopback port; the deployment's app client registers http://localhost:8739/callback. */
  port?: string;
  timeout?: string;
}

interface LoginSettings {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  scope: string;
}

const b64url = (b: Buffer) => b.toString('base64url');

function openBrowser(url: string): void {
  const cmd =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(cmd, [url], { stdio: 'ignore', detached: true })
      .on('error', () => {})
      .unref();
  } catch {
    // No browser here: the printed link is enough.
  }
}

/** Waits for the one redirect to the loopback server; resolves with the code. */
function receiveCode(port: number, state: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', `http://localhost:${port}`);
      if (url.pathname !== '/callback') {
        res.writeHead(404).end();
        return;
      }
      const done = (status: number, text: string, result: () => void) => {
        res
          .writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
          .end(text);
        clearTimeout(timer);
        server.close();
        result();
      };
      const error = url.searchParams.get('error');
      if (error)
        return done(400, 'Sign-in failed; see the terminal.', () =>
          reject(
            new DemarcheError(
              'LOGIN_FAILED',
              `sign-in refused: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim(),
            ),
          ),
        );
      if (url.searchParams.get('state') !== state)
        return done(400, 'This sign-in was not started here.', () =>
          reject(
            new DemarcheError(
              'LOGIN_FAILED',
              'the sign-in answer does not belong to this login (state)',
            ),
          ),
        );
      const code = url.searchParams.get('code');
      if (!code)
        return done(400, 'No code.', () =>
          reject(new DemarcheError('LOGIN_FAILED', 'the sign-in answer has no code')),
        );
      done(200, 'Signed in to demarche. You can close this tab.', () => resolve(code));
    });
    const timer = setTimeout(() => {
      server.close();
      reject(
        new DemarcheError(
          'LOGIN_FAILED',
          'no sign-in within the time allowed; run demarche login again',
        ),
      );
    }, timeoutMs);
    server.once('error', (err) => {
      clearTimeout(timer);
      reject(
        new DemarcheError(
          'LOGIN_FAILED',
          `cannot listen on 127.0.0.1:${port} for the sign-in: ${err.message}`,
        ),
      );
    });
    server.listen(port, '127.0.0.1');
  });
}

export async function loginCommand(opts: LoginOptions): Promise<void> {
  const api = (opts.api ?? process.env.DEMARCHE_API_URL ?? profileApi())?.replace(/\/+$/, '');
  if (!api)
    throw new DemarcheError(
      'NO_API',
      'which deployment? demarche login --api URL (the stack output PublicUrl)',
    );
  const res = await fetch(`${api}/dashboard/config.json`).catch((err: Error) => {
    throw new DemarcheError('API_UNREACHABLE', `cannot reach ${api}: ${err.message}`);
  });
  const { login } = (await res.json()) as { login: LoginSettings | null };
  if (!login)
    throw new DemarcheError(
      'LOGIN_LOCAL',
      `${api} has no sign-in page: it is a local runtime; use --as NAME without --api`,
    );
  const port = Number(opts.port ?? CLI_LOGIN_PORT);
  const redirectUri = `http://localhost:${port}/callback`;
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(16));
  const url = new URL(login.authorizeUrl);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: login.clientId,
    redirect_uri: redirectUri,
    scope: login.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(k, v);
  const waiting = receiveCode(port, state, Number(opts.timeout ?? 300) * 1000);
  process.stdout.write(`Sign in to demarche in your browser:\n  ${url.href}\n`);
  if (opts.browser !== false) openBrowser(url.href);
  const code = await waiting;
  const token = await fetch(login.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: login.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!token.ok)
    throw new DemarcheError(
      'LOGIN_FAILED',
      `the sign-in server refused the code (${token.status}): ${(await token.text()).slice(0, 200)}`,
    );
  const creds = fromTokenResponse(
    { api, tokenUrl: login.tokenUrl, clientId: login.clientId },
    (await token.json()) as Record<string, unknown>,
  );
  const me = await fetch(`${api}/api/me`, {
    headers: { authorization: `Bearer ${creds.idToken}` },
  });
  if (!me.ok)
    throw new DemarcheError(
      'LOGIN_FAILED',
      `signed in, but the API refused the token (${me.status}): is your user in a demarche group?`,
    );
  const who = (await me.json()) as { sub: string; email?: string; role: string };
  saveCredentials(creds);
  saveProfile(api);
  process.stdout.write(`Signed in to ${api} as ${who.email ?? who.sub} (${who.role}).\n`);
}

export function logoutCommand(): void {
  process.stdout.write(
    removeCredentials() ? 'Signed out: the cached tokens are removed.\n' : 'Not signed in.\n',
  );
}
