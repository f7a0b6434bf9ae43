/**
 * The staff API and dashboard: one Lambda behind the HTTP API (payload 2.0).
 * /dashboard/* serves the page's static files; /api/* is the JSON API, each
 * route behind a signed-in staff user with the role it needs.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../adapters/deps.js';
import { asset } from './assets.js';
import { campaignRoutes } from './campaign-routes.js';
import { controlRoutes } from './control-routes.js';
import { json } from './errors.js';
import { recipientRoutes } from './recipient-routes.js';
import { replyRoutes } from './reply-routes.js';
import { governanceRoutes } from './governance-routes.js';
import { privacyRoutes } from './privacy-routes.js';
import { planRoutes } from './plan-routes.js';
import { draftRoutes } from './draft-routes.js';
import { letterRoutes } from './letter-routes.js';
import { stuckRoutes } from './stuck-routes.js';
import { preflightRoutes } from './preflight-routes.js';
import { workspaceRoutes } from './workspace-routes.js';
import { archiveRoutes } from './archive-routes.js';
import { signonRoutes } from './signon-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { keyRoutes } from './key-routes.js';
import { compile, dispatch, type ApiRoute } from './router.js';

/** Every staff API route; the route-walk test reads this list. */
export const API_ROUTES: ApiRoute[] = [
  ...campaignRoutes,
  ...draftRoutes,
  ...workspaceRoutes,
  ...archiveRoutes,
  ...letterRoutes,
  ...recipientRoutes,
  ...replyRoutes,
  ...controlRoutes,
  ...governanceRoutes,
  ...privacyRoutes,
  ...planRoutes,
  ...stuckRoutes,
  ...preflightRoutes,
  ...signonRoutes,
  ...directoryRoutes,
  ...keyRoutes,
];
const table = compile(API_ROUTES);

export async function handler(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const path = event.rawPath;
  if (path === '/dashboard') {
    // Cognito's login redirect comes back here with ?code=…: keep the query string.
    const q = event.rawQueryString ? `?${event.rawQueryString}` : '';
    return { statusCode: 302, headers: { location: `/dashboard/${q}` } };
  }
  if (path.startsWith('/dashboard/')) {
    if (event.requestContext.http.method !== 'GET')
      return json(405, { code: 'METHOD_NOT_ALLOWED', message: 'the dashboard is read with GET' });
    return (
      asset(path.slice('/dashboard/'.length), event.headers) ??
      json(404, { code: 'NOT_FOUND', message: `no dashboard file ${path}` })
    );
  }
  return dispatch(table, event, deps);
}
