/**
 * `demarche login` against a real authorization server run here (test/support/oidc.ts):
 * the authorization-code flow with PKCE through the CLI's loopback redirect,
 * tokens cached 0600 under XDG_CONFIG_HOME, refreshed when they expire,
 * removed by logout; the staff API verifies them as it verifies Cognito's.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../functions/local/ports.js';
import { repoPath } from '../../support/fixtures.js';
import { startOidc, type OidcServer } from '../../support/oidc.js';
import { useRuntime } from '../../support/runtime.js';

let oidc: OidcServer;
beforeAll(async () => {
  oidc = await startOidc({
    sub: 'c0ffee-ana',
    email: 'ana@coalition.example.org',
    groups: ['campaigner'],
  });
  // The staff API of this process checks tokens against that server, as it would against Cognito.
  process.env.DEMARCHE_AUTH_ISSUER = oidc.url;
  process.env.DEMARCHE_AUTH_AUDIENCE = oidc.clientId;
  process.env.DEMARCHE_AUTH_DOMAIN = oidc.url;
});
afterAll(async () => {
  delete process.env.DEMARCHE_AUTH_ISSUER;
  delete process.env.DEMARCHE_AUTH_AUDIENCE;
  delete process.env.DEMARCHE_AUTH_DOMAIN;
  await oidc?.stop();
});
const runtime = useRuntime({ schedulerTickMs: 0 });
const home = mkdtempSync(join(tmpdir(), 'demarche-login-'));

function demarche(args: string[], onStdout?: (text: string) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      XDG_CONFIG_HOME: home,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    delete env.DEMARCHE_API_URL;
    delete env.DEMARCHE_TOKEN;
    const child = spawn(process.execPath, [repoPath('bin/demarche.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('demarche login', { timeout: 180_000 }, () => {
  it('signs in with PKCE through the loopback redirect; the cached token is used, refreshed and removed', async () => {
    const api = runtime().httpUrl.replace('localhost', '127.0.0.1');
    const port = await freePort();
    let followed: Promise<void> | undefined;
    const login = await demarche(
      ['login', '--api', api, '--no-browser', '--port', String(port), '--timeout', '60'],
      (out) => {
        const link = /(http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?\S+)/.exec(out)?.[1];
        if (!link || followed) return;
        // The browser's part: the sign-in page redirects to the CLI's loopback server.
        followed = (async () => {
          const signIn = await fetch(link, { redirect: 'manual' });
          expect(signIn.status).toBe(302);
          const back = signIn.headers.get('location')!;
          expect(back).toMatch(new RegExp(`^http://localhost:${port}/callback\\?code=`));
          const page = await fetch(back.replace('localhost', '127.0.0.1'));
          expect(await page.text()).toContain('Signed in to demarche');
        })();
      },
    );
    await followed;
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(
      `Signed in to ${api} as ana@coalition.example.org (campaigner).`,
    );
    expect(oidc.grants).toEqual({ authorization_code: 1 });
    expect(oidc.refusals).toEqual([]);
    const creds = join(home, 'demarche', 'credentials.json');
    expect(statSync(creds).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(home, 'demarche', 'config.json'), 'utf8'))).toEqual({
      api,
    });

    // Every command now calls that API with the cached ID token; the profile names it.
    const list = await demarche(['campaigns', '--json']);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual(expect.any(Array));

    // An expired ID token is renewed with the refresh token before the call.
    const cached = JSON.parse(readFileSync(creds, 'utf8')) as { expiresAt: number };
    writeFileSync(creds, JSON.stringify({ ...cached, expiresAt: 0 }), { mode: 0o600 });
    const again = await demarche(['--api', api, 'campaigns']);
    expect(again.code).toBe(0);
    expect(oidc.grants).toEqual({ authorization_code: 1, refresh_token: 1 });

    // Against a deployment, who acts is who signed in.
    const as = await demarche(['--as', 'bob', 'campaigns']);
    expect(as.code).toBe(1);
    expect(as.stderr).toContain('demarche login');

    const out = await demarche(['logout']);
    expect(out.stdout).toContain('Signed out');
    expect(existsSync(creds)).toBe(false);
    const none = await demarche(['--api', api, 'campaigns']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`not signed in to ${api}: run demarche login`);
  });
});
