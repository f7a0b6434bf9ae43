/**
 * The public tracking routes: the open pixel (GET /t/o/<token>.gif), click
 * redirects (GET /t/c/<token>) and unsubscribe (GET /u/<token> shows a page,
 * POST /u/<token> is RFC 8058 one-click). Every token is HMAC-signed
 * (core/tokens.ts); a forged or altered one records nothing and gets the
 * same answer a stranger would, so the routes tell an attacker nothing. A
 * click only ever leads to the link at that index of the letter that was sent.
 *
 * This function faces the internet, so it writes no campaign item: it
 * verifies the token and sends the event to the events queue, where the
 * events function applies it (once per dedupe window: a replayed token adds
 * at most one open a minute, core/events/window.ts). Only an unsubscribe
 * takes effect here at once, as a suppression entry: no letter may go to
 * that address from this moment on, whatever the queue's delay.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Deps, deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import { languageFor } from '../core/compose.js';
import type { EngagementEvent, EventType } from '../core/events/model.js';
import { escapeHtml } from '../core/html.js';
import { verifyToken } from '../core/tokens.js';

type Result = APIGatewayProxyStructuredResultV2;
const log = logger('tracking');

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const NO_STORE = { 'cache-control': 'no-store, private', 'referrer-policy': 'no-referrer' };
const TOKEN = /^[A-Za-z0-9_~.-]{1,512}$/;
/** Link schemes a click may lead to; anything else in a letter is never a redirect target. */
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

function pixel(): Result {
  return {
    statusCode: 200,
    headers: { 'content-type': 'image/gif', ...NO_STORE },
    body: PIXEL.toString('base64'),
    isBase64Encoded: true,
  };
}

function page(status: number, title: string, body: string): Result {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'x-frame-options': 'DENY',
      ...NO_STORE,
    },
    body:
      `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5">` +
      `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

const linkGone = () =>
  page(
    404,
    'This link is not available',
    '<p>The link you followed is not valid or no longer available.</p>',
  );

function visitor(event: APIGatewayProxyEventV2): Pick<EngagementEvent, 'userAgent' | 'ip'> {
  return {
    userAgent: event.headers?.['user-agent'] ?? event.requestContext?.http?.userAgent,
    ip: event.requestContext?.http?.sourceIp,
  };
}

async function record(
  d: Deps,
  type: EventType,
  source: EngagementEvent['source'],
  campaignId: string,
  recipientId: string,
  extra: Partial<EngagementEvent> = {},
): Promise<void> {
  // The id is made once, here: a redelivery of this queue message is the same event.
  await d.trackingEvents.publish({
    id: randomBytes(12).toString('base64url'),
    type,
    source,
    at: d.clock.now().toISOString(),
    campaignId,
    recipientId,
    ...extra,
  });
  log.debug('tracking event queued', { type, campaignId, recipientId });
}

/** GET /t/o/<token>.gif: always the pixel; an open is recorded only for a valid token. */
export async function openPixel(event: APIGatewayProxyEventV2): Promise<Result> {
  const token = /^\/t\/o\/([^/]+)\.gif$/.exec(event.rawPath)?.[1];
  if (!token || !TOKEN.test(token)) return pixel();
  const d = deps();
  const fields = verifyToken(await d.secret(), 'open', token, 2);
  if (!fields) return pixel();
  try {
    await record(d, 'open', 'pixel', fields[0]!, fields[1]!, visitor(event));
  } catch (err) {
    // The reader sees the letter either way; a lost open is logged, never an error image.
    log.error('open not recorded', { error: (err as Error).message });
  }
  return pixel();
}

/** GET /t/c/<token>: redirects to link N of the recipient's letter, and nowhere else. */
export async function clickRedirect(event: APIGatewayProxyEventV2): Promise<Result> {
  const token = /^\/t\/c\/([^/]+)$/.exec(event.rawPath)?.[1];
  if (!token || !TOKEN.test(token)) return linkGone();
  const d = deps();
  const fields = verifyToken(await d.secret(), 'click', token, 3);
  if (!fields || !/^\d{1,4}$/.test(fields[2]!)) return linkGone();
  const [campaignId, recipientId, index] = fields as [string, string, string];
  const campaign = await d.campaigns.campaign(campaignId, d.clock.now().getTime());
  const recipient = campaign ? await d.store.getRecipient(campaignId, recipientId) : undefined;
  if (!campaign || !recipient) return linkGone();
  const template = await d.campaigns.template(campaignId, languageFor(campaign, recipient));
  const target = template?.links?.[Number(index)];
  let url: URL | undefined;
  try {
    url = target ? new URL(target) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !SAFE_SCHEMES.has(url.protocol)) return linkGone();
  try {
    await record(d, 'click', 'link', campaignId, recipientId, {
      ...visitor(event),
      link: url.href,
    });
  } catch (err) {
    log.error('click not recorded', { error: (err as Error).message });
  }
  return { statusCode: 302, headers: { location: url.href, ...NO_STORE }, body: '' };
}

/** Whether the POST carries List-Unsubscribe=One-Click, form-urlencoded or multipart (RFC 8058 allows both). */
function isOneClick(event: APIGatewayProxyEventV2): boolean {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if (raw.length > 4096) return false;
  const type = event.headers?.['content-type'] ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    return /name="List-Unsubscribe"\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/.test(raw);
  }
  return new URLSearchParams(raw).get('List-Unsubscribe') === 'One-Click';
}

/**
 * GET /u/<token> shows a confirmation page (a GET never unsubscribes: link
 * scanners fetch every link); POST /u/<token> with List-Unsubscribe=One-Click
 * (RFC 8058, sent by mail clients and by the page's button) unsubscribes.
 */
export async function unsubscribe(event: APIGatewayProxyEventV2): Promise<Result> {
  const token = /^\/u\/([^/]+)$/.exec(event.rawPath)?.[1];
  const method = event.requestContext?.http?.method ?? 'GET';
  const plausible = token !== undefined && TOKEN.test(token);
  if (method !== 'POST') {
    if (!plausible) return linkGone();
    return page(
      200,
      'Unsubscribe',
      `<p>Press the button to receive no further letters from this sender at this address.</p>` +
        `<form method="post" action="/u/${escapeHtml(token)}">` +
        `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
        `<button type="submit" style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>`,
    );
  }
  if (!isOneClick(event)) {
    return page(
      400,
      'Unsubscribe request not understood',
      '<p>The request body must be <code>List-Unsubscribe=One-Click</code> (RFC 8058).</p>',
    );
  }
  const done = page(200, 'Unsubscribed', '<p>Your request has been received.</p>');
  if (!plausible) return done;
  const d = deps();
  const fields = verifyToken(await d.secret(), 'unsubscribe', token, 2);
  if (!fields) return done;
  const [campaignId, recipientId] = fields as [string, string];
  // In effect at once: the suppression list is what the sender checks before every letter.
  const recipient = await d.store.getRecipient(campaignId, recipientId);
  if (recipient)
    await d.store.suppress(recipient.email, 'unsubscribed', d.clock.now().toISOString());
  await record(d, 'unsubscribe', 'unsubscribe', campaignId, recipientId, visitor(event));
  return done;
}

/** One Lambda for the public routes, as the HTTP API routes them in AWS. */
export async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
  const path = event.rawPath;
  if (path.startsWith('/t/o/')) return openPixel(event);
  if (path.startsWith('/t/c/')) return clickRedirect(event);
  if (path.startsWith('/u/')) return unsubscribe(event);
  return linkGone();
}
