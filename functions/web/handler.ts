/**
 * GET /w/<token>: the "view in browser" version of one recipient's letter.
 *
 * The token (core/links.ts webVersionUrl) names the campaign and recipient and
 * is signed, so the route renders from stored data only what the letter's own
 * link allows: the same compiled letter merged with the same values, without
 * the open pixel (viewing the web version is not an open of the email).
 * A forged or altered token gets the same 404 as a letter that does not exist.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../adapters/deps.js';
import { languageFor, personalLetter } from '../core/compose.js';
import { verifyToken } from '../core/tokens.js';

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The letter has no scripts; images only from the tracking host; nothing else may run.
  'content-security-policy':
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
  'x-robots-tag': 'noindex',
};

function notFound(): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 404,
    headers: { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' },
    body: 'This letter link is not valid.',
  };
}

export async function handler(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  const m = /^\/w\/([^/]+)$/.exec(event.rawPath);
  if (!m) return notFound();
  const d = deps();
  const secret = await d.secret();
  let token: string;
  try {
    token = decodeURIComponent(m[1]!);
  } catch {
    return notFound(); // malformed percent-encoding: no letter has such a link
  }
  const fields = verifyToken(secret, 'web', token, 2);
  if (!fields) return notFound();
  const [campaignId, recipientId] = fields as [string, string];
  const campaign = await d.store.getCampaign(campaignId);
  if (!campaign) return notFound();
  const recipient = await d.store.getRecipient(campaignId, recipientId);
  if (!recipient) return notFound();
  const template = await d.campaigns.template(campaignId, languageFor(campaign, recipient));
  if (!template) return notFound();
  const letter = personalLetter(
    campaign,
    template,
    recipient,
    { publicUrl: d.config.publicUrl, secret },
    { pixel: false },
  );
  // The approved version this letter was sent from (issue 11), shown under it and in a header.
  const version = /^[0-9a-f]{64}$/.test(recipient.versionHash ?? '') ? recipient.versionHash! : '';
  const body = version
    ? letter.html.replace(
        /<\/body>/i,
        `<p style="font:12px/1.4 sans-serif;color:#555;text-align:center;margin:16px">Text version ${version.slice(0, 12)}</p></body>`,
      )
    : letter.html;
  return {
    statusCode: 200,
    headers: { ...HEADERS, ...(version ? { 'x-demarche-version': version } : {}) },
    body,
  };
}
