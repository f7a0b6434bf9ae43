/**
 * The dashboard's static files, served by the same handler as the API (no
 * separate web server). They hold no data: the page fetches everything from
 * the API with the staff token, so they are public like any login page.
 * Every response carries a strict Content-Security-Policy: scripts only from
 * this origin, no inline script or style, no framing, no plugins.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const here = (name: string) => fileURLToPath(new URL(`./assets/${name}`, import.meta.url));
const require = createRequire(import.meta.url);
const uplot = (name: string) => require.resolve(`uplot/dist/${name}`);

const FILES: Record<string, { path: () => string; type: string }> = {
  '': { path: () => here('index.html'), type: 'text/html; charset=utf-8' },
  'index.html': { path: () => here('index.html'), type: 'text/html; charset=utf-8' },
  'app.js': { path: () => here('app.js'), type: 'text/javascript; charset=utf-8' },
  'app.css': { path: () => here('app.css'), type: 'text/css; charset=utf-8' },
  'uplot.js': { path: () => uplot('uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.css': { path: () => uplot('uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, string>();

/** One dashboard file by name, or undefined for any other name (no path is ever read from the request). */
export function asset(name: string): APIGatewayProxyStructuredResultV2 | undefined {
  const file = FILES[name];
  if (!file) return undefined;
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(file.path(), 'utf8');
    cache.set(name, body);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': file.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS },
    body,
  };
}
