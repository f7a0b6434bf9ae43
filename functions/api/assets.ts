/**
 * The dashboard's static files, served by the same handler as the API (no
 * separate web server). They hold no data: the page fetches everything from
 * the API with the staff token, so they are public like any login page.
 * index.html is written by hand; app.js and app.css are the bundle
 * scripts/build-dashboard.ts builds into templates/dashboard/dist/ (the local
 * runtime builds it when it starts, the CDK app before it bundles this
 * function, which carries it in templates/). Every response carries a strict
 * Content-Security-Policy, and goes gzipped to a browser that accepts it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '../adapters/config.js';
import { templatesDir } from '../adapters/templates.js';

/**
 * The page's Content-Security-Policy: scripts from this origin only (no
 * inline script, no eval), no plugins, no framing of the page, nothing
 * loaded from elsewhere. The only origin besides our own is the Cognito
 * login domain, which the page calls to exchange its login code for a token
 * (AWS); locally there is none.
 *
 * The letter preview is a sandboxed srcdoc frame, which inherits this
 * policy; two directives are for it. style-src allows inline styles because
 * an MJML letter is nothing but inline styles and <style> blocks (the page's
 * own code sets styles through the DOM, and puts no outside text into HTML,
 * so there is nothing for an injected style to ride on; and with img-src and
 * connect-src as they are, a style could send nothing out). img-src allows
 * data: images only: the page shows none of its own, and a letter's open
 * pixel (an address of ours) cannot load in the preview, so looking at a
 * letter never counts as an open. frame-src stays 'none' (default-src):
 * srcdoc frames are not fetched, so they are allowed, and a link clicked
 * inside the letter cannot load anything in the frame.
 */
export function csp(loginDomain = loginSettings()?.domain): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    'img-src data:',
    `connect-src 'self'${loginDomain ? ` ${loginDomain}` : ''}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': csp(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/**
 * How the page signs staff in: in AWS, Cognito's hosted login with the
 * authorization-code flow and PKCE (no client secret in a browser); locally,
 * undefined (the login link `npm start` prints carries a token).
 */
export function loginSettings(env: Record<string, string | undefined> = process.env) {
  const domain = env[ENV.authDomain]?.replace(/\/+$/, '');
  const clientId = env[ENV.authAudience];
  // HTTPS, or plain HTTP to this machine only (a sign-in server a test runs on 127.0.0.1).
  const ok =
    /^https:\/\/[A-Za-z0-9.-]+$/.test(domain ?? '') ||
    /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}$/.test(domain ?? '');
  if (!domain || !clientId || !ok) return undefined;
  return {
    domain,
    authorizeUrl: `${domain}/oauth2/authorize`,
    tokenUrl: `${domain}/oauth2/token`,
    logoutUrl: `${domain}/logout`,
    clientId,
    scope: 'openid email profile',
  };
}

const DASHBOARD = () => join(templatesDir(), 'dashboard');

const FILES: Record<string, { path: () => string; type: string }> = {
  '': { path: () => join(DASHBOARD(), 'index.html'), type: 'text/html; charset=utf-8' },
  'index.html': { path: () => join(DASHBOARD(), 'index.html'), type: 'text/html; charset=utf-8' },
  'app.js': {
    path: () => join(DASHBOARD(), 'dist', 'app.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'app.css': { path: () => join(DASHBOARD(), 'dist', 'app.css'), type: 'text/css; charset=utf-8' },
};

interface Cached {
  body: Buffer;
  gzipped: Buffer;
}
const cache = new Map<string, Cached>();

function read(name: string, path: string): Cached | undefined {
  let file = cache.get(name);
  if (!file) {
    if (!existsSync(path)) return undefined;
    const body = readFileSync(path);
    file = { body, gzipped: gzipSync(body, { level: 9 }) };
    cache.set(name, file);
  }
  return file;
}

const accepts = (headers: Record<string, string | undefined> | undefined) =>
  /\bgzip\b/.test(headers?.['accept-encoding'] ?? '');

/**
 * One dashboard file by name, or undefined for any other name (no path is
 * ever read from the request). `headers` are the request's, for
 * Accept-Encoding.
 */
export function asset(
  name: string,
  headers?: Record<string, string | undefined>,
): APIGatewayProxyStructuredResultV2 | undefined {
  if (name === 'config.json')
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-cache',
        ...securityHeaders(),
      },
      body: JSON.stringify({ login: loginSettings() ?? null }),
    };
  const spec = FILES[name];
  if (!spec) return undefined;
  const file = read(name, spec.path());
  if (!file)
    return {
      statusCode: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() },
      body: `The dashboard's ${name} has not been built: run npx tsx scripts/build-dashboard.ts (the local runtime and cdk synth do it themselves).`,
    };
  const gzip = accepts(headers);
  return {
    statusCode: 200,
    headers: {
      'content-type': spec.type,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...securityHeaders(),
    },
    body: (gzip ? file.gzipped : file.body).toString('base64'),
    isBase64Encoded: true,
  };
}
