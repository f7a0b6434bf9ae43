/**
 * The staff API's route table and dispatch. Each route names the role it
 * needs; dispatch authorises before anything else (so an unknown campaign id
 * tells an anonymous caller nothing), runs the route and turns every error
 * into the JSON error response of errors.ts.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Deps } from '../adapters/deps.js';
import { logger as makeLogger } from '../adapters/logger.js';
import { authorise, type Role, type Staff } from './auth.js';
import { errorResponse, json } from './errors.js';

export interface RouteContext {
  event: APIGatewayProxyEventV2;
  params: Record<string, string>;
  staff: Staff;
  deps: Deps;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** Path pattern with `:name` parameters, e.g. /api/campaigns/:id/stats */
  path: string;
  role: Role;
  run(ctx: RouteContext): Promise<APIGatewayProxyStructuredResultV2>;
}

const logger = makeLogger('staff-api');

interface Compiled extends ApiRoute {
  re: RegExp;
  names: string[];
}

export function compile(routes: ApiRoute[]): Compiled[] {
  return routes.map((r) => {
    const names: string[] = [];
    const re = new RegExp(
      `^${r.path.replace(/:([a-zA-Z]+)/g, (_, n: string) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    return { ...r, re, names };
  });
}

/** Finds the route, authorises the caller for it, runs it; every failure is a JSON error. */
export async function dispatch(
  table: Compiled[],
  event: APIGatewayProxyEventV2,
  deps: () => Deps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath;
  const candidates = table.filter((r) => r.re.test(path));
  const route = candidates.find((r) => r.method === method);
  if (!route) {
    if (candidates.length)
      return json(
        405,
        { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}` },
        { allow: candidates.map((c) => c.method).join(', ') },
      );
    return json(404, { code: 'NOT_FOUND', message: `no API route ${path}` });
  }
  try {
    const staff = await authorise(event, route.role);
    const m = route.re.exec(path)!;
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
    return await route.run({ event, params, staff, deps: deps() });
  } catch (err) {
    const res = errorResponse(err);
    if (res.statusCode === 500)
      logger.error('staff API route failed', { path, method, error: err as Error });
    return res;
  }
}
