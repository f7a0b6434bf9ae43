/**
 * Which Lambda handler serves which path, locally. In AWS the HTTP API's
 * routes (infra/) point at the same handlers. First match wins.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

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

export const routes: Route[] = [{ method: 'GET', match: /^\/health$/, handler: health }];
