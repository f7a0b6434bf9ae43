/**
 * The dashboard's static files, served by the same handler as the API (no
 * separate web server). They hold no data: the page fetches everything from
 * the API with the staff token, so they are public like any login page.
 * Every response carries a strict Content-Security-Policy: scripts only from
 * this origin, no inline script or style, no framing, no plugins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ENV } from '../adapters/config.js';
import { templatesDir } from '../adapters/templates.js';

/**
 * The page's Content-Security-Policy. The only origin besides our own is the
 * Cognito login domain, which the page calls to exchange its login code for a
 * token (AWS); locally there is none.
 */
export function csp(loginDomain = loginSettings()?.domain): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${loginDomain ? ` ${loginDomain}` : ''}`,
    "font-src 'self'",
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

/** The page's own files live with the templates (copied into the Lambda bundle as templates/). */
const page = (name: string) => join(templatesDir(), 'dashboard', name);

/**
 * uPlot from the package, or from templates/dashboard/vendor/ where a bundle
 * that carries no node_modules has copied it.
 */
function uplot(name: string): string {
  const vendored = join(templatesDir(), 'dashboard', 'vendor', name);
  if (existsSync(vendored)) return vendored;
  return createRequire(import.meta.url).resolve(`uplot/dist/${name}`);
}

const FILES: Record<string, { path: () => string; type: string }> = {
  '': { path: () => page('index.html'), type: 'text/html; charset=utf-8' },
  'index.html': { path: () => page('index.html'), type: 'text/html; charset=utf-8' },
  'app.js': { path: () => page('app.js'), type: 'text/javascript; charset=utf-8' },
  'app.css': { path: () => page('app.css'), type: 'text/css; charset=utf-8' },
  'uplot.js': { path: () => uplot('uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.css': { path: () => uplot('uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, string>();

/** One dashboard file by name, or undefined for any other name (no path is ever read from the request). */
export function asset(name: string): APIGatewayProxyStructuredResultV2 | undefined {
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
  const file = FILES[name];
  if (!file) return undefined;
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(file.path(), 'utf8');
    cache.set(name, body);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': file.type, 'cache-control': 'no-cache', ...securityHeaders() },
    body,
  };
}
