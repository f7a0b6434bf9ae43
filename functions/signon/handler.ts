/**
 * The public coalition sign-on pages (routes.ts): the invite page and its
 * form, the confirmation link, the full list. A function of its own, apart
 * from the web version: a signature is validated, stored and answered with a
 * confirmation mail on the shared send line, which takes the SES mailer, the
 * rate limiter and the sign-on store; the web version reads three items and
 * needs none of them, nor their load time.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PAGE_CSP } from '../core/recipient-pages/layout.js';
import { goneLinkPage } from '../core/recipient-pages/unsubscribe-page.js';
import { signonRoute } from './routes.js';

export async function handler(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const answer = await signonRoute(event);
  if (answer) return answer;
  const page = goneLinkPage();
  return {
    statusCode: 404,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, no-store',
      'x-robots-tag': 'noindex',
    },
    body: page.html,
  };
}
