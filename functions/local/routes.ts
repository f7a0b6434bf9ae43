/**
 * Which Lambda handler serves which path, locally. In AWS the HTTP API's
 * routes (infra/) point at the same handlers. First match wins.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handler as tracking } from '../tracking/handler.js';
import { handler as staffApi } from '../api/handler.js';
import { handler as webVersion } from '../web/handler.js';
import { handler as signon } from '../signon/handler.js';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Route {
  method?: string;
  match: RegExp;
  handler: HttpHandler;
}

const health: HttpHandler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true }),
});

export const routes: Route[] = [
  { method: 'GET', match: /^\/health$/, handler: health },
  // The "view in browser" letter, signed per recipient.
  { method: 'GET', match: /^\/w\/[^/]+$/, handler: webVersion },
  // The generated privacy notice the letters link to (when the deployment has none of its own).
  { method: 'GET', match: /^\/privacy$/, handler: webVersion },
  // Coalition sign-on: the invite page and form, the confirmation link, the full list.
  { match: /^\/s\/(?:[clo]\/)?[^/]+$/, handler: signon },
  // The staff API and dashboard: one handler, login required for /api/*.
  { match: /^\/(api|dashboard)(\/|$)/, handler: staffApi },
  // Open pixel, click redirects, unsubscribe page and RFC 8058 one-click POST.
  { method: 'GET', match: /^\/t\/(o|c)\/[^/]+$/, handler: tracking },
  { match: /^\/u\/[^/]+$/, handler: tracking },
];
