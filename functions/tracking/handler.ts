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
 * at most one open a minute, core/events/window.ts). Only a recipient's own
 * choice on the unsubscribe page (or one-click) takes effect here at once, as
 * an entry in their address's suppression partition (adapters/dynamo-choices.ts):
 * no letter may go against it from this moment on, whatever the queue's delay.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type PublicDeps as Deps, publicDeps as deps } from '../adapters/public-deps.js';
import { logger } from '../adapters/logger.js';
import { languageFor } from '../core/personal-letter.js';
import type { EngagementEvent, EventType } from '../core/events/model.js';
import { escapeHtml } from '../core/html.js';
import { privacyPageUrl } from '../core/links.js';
import {
  choiceState,
  followUpKey,
  followUpsStopExpiry,
  undoable,
} from '../core/recipient-pages/choice.js';
import { PAGE_CSP } from '../core/recipient-pages/layout.js';
import { maskAddress } from '../core/recipient-pages/mask.js';
import {
  goneLinkPage,
  notUnderstoodPage,
  unsubscribePage,
} from '../core/recipient-pages/unsubscribe-page.js';
import { whySentences } from '../core/recipient-pages/why.js';
import { statementIn } from '../core/statement-in.js';
import { tokenKeyId, verifyRingToken } from '../core/tokens.js';

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
  const fields = verifyRingToken(await d.keys(tokenKeyId(token)), 'open', token, 2);
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
  const fields = verifyRingToken(await d.keys(tokenKeyId(token)), 'click', token, 3);
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

/** The POST body as text, or undefined when it is too long to be a form of ours. */
function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  return raw.length > 4096 ? undefined : raw;
}

/** Whether the POST carries List-Unsubscribe=One-Click, form-urlencoded or multipart (RFC 8058 allows both). */
function isOneClick(event: APIGatewayProxyEventV2, raw: string): boolean {
  const type = event.headers?.['content-type'] ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    return /name="List-Unsubscribe"\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/.test(raw);
  }
  return new URLSearchParams(raw).get('List-Unsubscribe') === 'One-Click';
}

/** The choice the page's forms post: stop everything, stop follow-ups only, or undo. */
function formChoice(raw: string): 'all' | 'followups' | 'undo' | undefined {
  const choice = new URLSearchParams(raw).get('choice');
  return choice === 'all' || choice === 'followups' || choice === 'undo' ? choice : undefined;
}

function html(p: { status: number; html: string }, extra: Record<string, string> = {}): Result {
  return {
    statusCode: p.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      ...NO_STORE,
      ...extra,
    },
    body: p.html,
  };
}

/** The letter a valid unsubscribe token names, with what its page shows; undefined for anything else. */
async function letterOf(d: Deps, token: string | undefined) {
  if (!token || !TOKEN.test(token)) return undefined;
  const fields = verifyRingToken(await d.keys(tokenKeyId(token)), 'unsubscribe', token, 2);
  if (!fields) return undefined;
  const [campaignId, recipientId] = fields as [string, string];
  const campaign = await d.campaigns.campaign(campaignId, d.clock.now().getTime());
  const recipient = campaign ? await d.store.getRecipient(campaignId, recipientId) : undefined;
  if (!campaign || !recipient) return undefined;
  const language = languageFor(campaign, recipient);
  const s = statementIn(campaign.statement, language);
  const view = {
    language,
    coalition: s.from.name,
    postalAddress: s.postalAddress,
    subject: s.subject,
    address: maskAddress(recipient.email),
    why: whySentences(recipient, language, s.from.name),
    privacyUrl: privacyPageUrl(
      { publicUrl: d.config.publicUrl, privacyUrl: d.config.privacyUrl },
      language,
    ),
    action: token,
  };
  return { campaign, recipient, key: followUpKey(campaign), view };
}

type Letter = NonNullable<Awaited<ReturnType<typeof letterOf>>>;

/**
 * Takes the recipient's choice: the stop at once (the sender reads it before
 * every letter), then the event for the counters, timeline and audit log.
 * A stop is taken only where the page offered it; an undo only of the
 * recipient's own stop, within its 30 days.
 */
async function act(
  d: Deps,
  l: Letter,
  choice: 'all' | 'followups' | 'undo',
  event: APIGatewayProxyEventV2,
): Promise<boolean> {
  const now = d.clock.now();
  const at = now.toISOString();
  const email = l.recipient.email;
  const choices = await d.choices.choices(email, l.key);
  const state = choiceState(choices, now);
  const ids = [l.campaign.id, l.recipient.id] as const;
  if (choice === 'undo') {
    const scope = undoable(choices, now);
    const entry = scope === 'all' ? choices.all : choices.followUps;
    if (!scope || !entry || !(await d.choices.lift(email, scope, l.key, entry, at))) return false;
    await record(d, 'resubscribe', 'unsubscribe', ...ids, { ...visitor(event), scope });
    return true;
  }
  if (state.kind === 'blocked') return false;
  if (choice === 'followups' && state.kind !== 'open') return false;
  if (choice === 'all' && state.kind === 'stopped' && state.scope === 'all') return false;
  const expiry =
    choice === 'followups' ? followUpsStopExpiry(l.campaign.statement.deadline, at) : undefined;
  await d.choices.stop(email, choice, l.key, at, expiry);
  await record(d, 'unsubscribe', 'unsubscribe', ...ids, { ...visitor(event), scope: choice });
  return false;
}

/**
 * GET /u/<token> shows the recipient's page in their letter's language: the
 * choice, or the confirmation of the choice made with its undo (a GET never
 * changes anything: link scanners fetch every link). POST /u/<token> takes
 * the page's choice (`choice=all|followups|undo`, then back to the page), or
 * RFC 8058 one-click (`List-Unsubscribe=One-Click`, sent by mail clients),
 * which stops every letter and answers the same to a valid token and a
 * forged one.
 */
export async function unsubscribe(event: APIGatewayProxyEventV2): Promise<Result> {
  const token = /^\/u\/([^/]+)$/.exec(event.rawPath)?.[1];
  const method = event.requestContext?.http?.method ?? 'GET';
  const d = deps();
  if (method !== 'POST') {
    const l = await letterOf(d, token);
    if (!l) return html(goneLinkPage());
    const state = choiceState(await d.choices.choices(l.recipient.email, l.key), d.clock.now());
    const undone = new URLSearchParams(event.rawQueryString ?? '').get('undone') === '1';
    return html(unsubscribePage({ ...l.view, state, undone: undone && state.kind === 'open' }));
  }
  const raw = bodyText(event);
  if (raw !== undefined && isOneClick(event, raw)) {
    const done = page(200, 'Unsubscribed', '<p>Your request has been received.</p>');
    const l = await letterOf(d, token);
    if (l) await act(d, l, 'all', event);
    return done;
  }
  const choice = raw === undefined ? undefined : formChoice(raw);
  const l = await letterOf(d, token);
  if (!l) return html(goneLinkPage());
  if (!choice) return html(notUnderstoodPage(l.view.language, l.view.coalition, l.view.action));
  const undone = await act(d, l, choice, event);
  // Post/redirect/get: the page shown is read from what is stored, and a reload repeats nothing.
  return html(
    { status: 303, html: '' },
    { location: `${encodeURIComponent(token!)}${undone ? '?undone=1' : ''}` },
  );
}

/** One Lambda for the public routes, as the HTTP API routes them in AWS. */
export async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
  const path = event.rawPath;
  if (path.startsWith('/t/o/')) return openPixel(event);
  if (path.startsWith('/t/c/')) return clickRedirect(event);
  if (path.startsWith('/u/')) return unsubscribe(event);
  return linkGone();
}
