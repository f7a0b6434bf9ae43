/**
 * The API's errors and the one place DemarcheError codes become HTTP statuses.
 * Every error response is JSON `{ code, message, details? }` with a stable code,
 * so the dashboard and scripts can act on the code and show the message.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DemarcheError } from '../core/errors.js';

/**
 * No acceptable token came with the request. The message never says which
 * check failed (that is logged on the server): only what to do.
 */
export class AuthRequiredError extends DemarcheError {
  constructor() {
    super('UNAUTHENTICATED', 'sign in again: this request has no valid staff sign-in');
  }
}

/** The signed-in user's role does not allow this route. */
export class ForbiddenError extends DemarcheError {
  constructor(role: string, needed: string) {
    super('FORBIDDEN', `this route needs the ${needed} role; you are signed in as ${role}`, {
      role,
      needed,
    });
  }
}

/** A body, query string or path parameter that fails validation; `issues` name each field. */
export class RequestInvalidError extends DemarcheError {
  constructor(where: string, issues: { field: string; message: string }[]) {
    super(
      'REQUEST_INVALID',
      `invalid ${where}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      { where, issues },
    );
  }
}

/** HTTP status per error code. Codes not listed are server faults (500). */
export const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_INVALID: 400,
  INPUT_UNREADABLE: 400,
  STATEMENT_INVALID: 422,
  RECIPIENTS_INVALID: 422,
  RECIPIENTS_EMPTY: 422,
  TEMPLATE_INVALID: 422,
  CAMPAIGN_STATE: 409,
  APPROVAL_REQUIRED: 409,
  APPROVAL_BY_AUTHOR: 403,
  VERSION_STALE: 409,
  REPLY_STATE: 409,
  TOO_LARGE: 413,
  PLAN_INVALID: 400,
  PLAN_INFEASIBLE: 422,
  FOLLOW_UP_INVALID: 422,
  RECIPIENT_NOT_FOUND: 404,
  LANGUAGE_UNAVAILABLE: 422,
  PREFLIGHT_FAILED: 422,
  TARGET_STALE: 409,
  KEY_RING_STATE: 409,
};

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/**
 * Turns any thrown value into the JSON error response. Known codes keep their
 * message (it names the problem and its place); anything else is logged by the
 * caller and answered with a generic 500 so no internals leak.
 */
export function errorResponse(err: unknown): APIGatewayProxyStructuredResultV2 {
  if (err instanceof DemarcheError && STATUS_BY_CODE[err.code]) {
    const details = Object.keys(err.details).length ? { details: err.details } : {};
    const extra: Record<string, string> =
      err.code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {};
    return json(
      STATUS_BY_CODE[err.code]!,
      { code: err.code, message: err.message, ...details },
      extra,
    );
  }
  return json(500, { code: 'INTERNAL', message: 'internal error' });
}
