/**
 * The public sign-on routes of the web function:
 *
 *   GET  /s/<invite token>   the statement, its confirmed signatories and the form
 *   POST /s/<invite token>   a signature (then 303 back with ?sent=1)
 *   GET  /s/c/<token>        the emailed confirmation link: a page with a button
 *   POST /s/c/<token>        the confirmation itself (a GET never confirms: mail scanners open links)
 *   GET  /s/l/<token>        the locked list of signatories, for letters that cannot hold it
 *   GET  /s/o/<token>        the open letter (statement and signatories), when turned on and sent
 *
 * Tokens are signed (core/tokens.ts); an invite token also carries the
 * sign-on's current key, so reopening with a new key voids old links. A bad
 * token gets the same 404 as a campaign that does not exist. The
 * confirmation mail goes through the same SES mailer and the same shared
 * send line as every letter (the rate limiter: SES's rate is never passed),
 * once per signature (a conditional claim before the send).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps, type Deps } from '../adapters/deps.js';
import { logger as makeLogger } from '../adapters/logger.js';
import { retentionDaysFromEnv } from '../adapters/retention-env.js';
import type { Campaign } from '../core/campaign.js';
import { personalExpiry } from '../core/governance/retention.js';
import { SIGNON_PAGE_LANGUAGES, signonPageWords } from '../core/i18n-signon.js';
import { addressKey, purposeKey } from '../core/purpose-keys.js';
import { confirmSignature, isOpen, submitSignature } from '../core/signon/flow.js';
import { ordered } from '../core/signon/list.js';
import { confirmationMail } from '../core/signon/mail.js';
import {
  confirmPage,
  listPage,
  noticePage,
  signonPage,
  SIGNON_CSP,
  TRAP_FIELD,
  FORM_FIELDS,
} from '../core/signon/page.js';
import { statementIn, statementLanguages } from '../core/statement.js';
import { verifyToken } from '../core/tokens.js';
import { confirmUrl } from '../core/signon/links.js';
import { openLetterPage, openLetterShown } from '../core/signon/open-letter.js';

type Result = APIGatewayProxyStructuredResultV2;
const log = makeLogger('web-signon');

const MAX_BODY = 16 * 1024;

function page(status: number, html: string, extra: Record<string, string> = {}): Result {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': SIGNON_CSP,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, no-store',
      'x-robots-tag': 'noindex',
      ...extra,
    },
    body: html,
  };
}

const gone = (language = 'en') => {
  const w = signonPageWords(language);
  return page(404, noticePage(language, w.goneHeading, w.goneBody));
};

/** The languages the page is offered in: the statement's that have page words, else its own. */
function languagesOf(c: Campaign): string[] {
  const all = statementLanguages(c.statement);
  const worded = all.filter((l) => SIGNON_PAGE_LANGUAGES.includes(l.split('-')[0]!));
  return worded.length ? worded : [c.statement.language];
}

function pickLanguage(
  event: APIGatewayProxyEventV2,
  offered: string[],
  asked?: string | null,
): string {
  const accepted = (event.headers?.['accept-language'] ?? '')
    .split(',')
    .map((l) => l.split(';')[0]!.trim().toLowerCase());
  for (const l of [asked?.toLowerCase() ?? '', ...accepted]) {
    const hit = offered.find((o) => o === l) ?? offered.find((o) => o === l.split('-')[0]);
    if (hit) return hit;
  }
  return offered[0]!;
}

function formBody(event: APIGatewayProxyEventV2): URLSearchParams | undefined {
  const raw = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  return raw.length > MAX_BODY ? undefined : new URLSearchParams(raw);
}

function token(event: APIGatewayProxyEventV2, encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Handles /s/…; undefined for any other path. */
export async function signonRoute(event: APIGatewayProxyEventV2): Promise<Result | undefined> {
  const m = /^\/s\/(?:(c|l|o)\/)?([^/]+)$/.exec(event.rawPath);
  if (!m) return undefined;
  const method = event.requestContext.http.method.toUpperCase();
  const d = deps();
  const secret = await d.secret();
  const t = token(event, m[2]!);
  if (!t) return gone();
  if (m[1] === 'l') return method === 'GET' ? fullList(d, secret, t) : gone();
  if (m[1] === 'o') return method === 'GET' ? openLetter(event, d, secret, t) : gone();
  if (m[1] === 'c') return confirmation(event, d, secret, t, method);
  if (method !== 'GET' && method !== 'POST') return gone();
  return invite(event, d, secret, t, method);
}

async function fullList(d: Deps, secret: string, t: string): Promise<Result> {
  const f = verifyToken(secret, 'signon-list', t, 1);
  const c = f && (await d.store.getCampaign(f[0]!));
  if (!c?.statement.cosign) return gone();
  const language = c.statement.language;
  return page(
    200,
    listPage(language, c.statement.title, c.statement.from.name, c.statement.cosign.signatories),
  );
}

/** Off, before the send-out, or a bad token: the same 404 as a campaign that does not exist. */
async function openLetter(
  event: APIGatewayProxyEventV2,
  d: Deps,
  secret: string,
  t: string,
): Promise<Result> {
  const f = verifyToken(secret, 'signon-list', t, 1);
  if (!f) return gone();
  const [c, settings] = await Promise.all([d.store.getCampaign(f[0]!), d.signon.settings(f[0]!)]);
  if (!c || !openLetterShown(c, settings)) return gone();
  const offered = languagesOf(c);
  const language = pickLanguage(
    event,
    offered,
    new URLSearchParams(event.rawQueryString ?? '').get('lang'),
  );
  const here = `/s/o/${encodeURIComponent(t)}`;
  return page(
    200,
    openLetterPage({
      language,
      statement: statementIn(c.statement, language),
      coalition: c.statement.from.name,
      sentAt: c.launchedAt!,
      recipients: c.recipientCount,
      alternatives: offered
        .filter((l) => l !== language)
        .map((l) => ({ language: l, href: `${here}?lang=${l}` })),
    }),
    { 'content-language': language },
  );
}

async function confirmation(
  event: APIGatewayProxyEventV2,
  d: Deps,
  secret: string,
  t: string,
  method: string,
): Promise<Result> {
  const f = verifyToken(secret, 'signon-confirm', t, 2);
  if (!f) return gone();
  const [campaignId, id] = f as [string, string];
  const [c, s] = await Promise.all([d.store.getCampaign(campaignId), d.signon.get(campaignId, id)]);
  if (!c || !s) return gone();
  const w = signonPageWords(s.language);
  const coalition = c.statement.from.name;
  if (method === 'GET' && s.state === 'pending')
    return page(200, confirmPage(s.language, s.displayName, coalition));
  if (method === 'POST') await confirmSignature(d, campaignId, id);
  else if (method !== 'GET') return gone(s.language);
  return page(
    200,
    noticePage(s.language, w.confirmedHeading, w.confirmedBody(s.displayName), coalition),
  );
}

async function invite(
  event: APIGatewayProxyEventV2,
  d: Deps,
  secret: string,
  t: string,
  method: string,
): Promise<Result> {
  const f = verifyToken(secret, 'signon', t, 3);
  if (!f) return gone();
  const [campaignId, key, inviteId] = f as [string, string, string];
  const [c, settings] = await Promise.all([
    d.store.getCampaign(campaignId),
    d.signon.settings(campaignId),
  ]);
  if (!c || !settings || settings.inviteKey !== key) return gone();
  const offered = languagesOf(c);
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const form = method === 'POST' ? formBody(event) : undefined;
  if (method === 'POST' && !form)
    return page(413, noticePage('en', 'Too large', 'The form is too large.'));
  const language = pickLanguage(event, offered, form?.get('lang') ?? query.get('lang'));
  const w = signonPageWords(language);
  const coalition = c.statement.from.name;
  const now = d.clock.now();
  if (!isOpen(settings, c, now))
    return page(410, noticePage(language, w.closedHeading, w.closedBody, coalition));
  const here = `/s/${encodeURIComponent(t)}`;
  if (method === 'GET' && query.get('sent') === '1')
    return page(200, noticePage(language, w.sentHeading, w.sentBody, coalition));
  const show = async (
    status: number,
    extra: Parameters<typeof signonPage>[0] extends infer P ? Partial<P> : never,
  ) => {
    const signed = ordered(
      (await d.signon.list(campaignId)).filter(
        (s) => s.state === 'confirmed' || s.state === 'approved',
      ),
    );
    return page(
      status,
      signonPage({
        language,
        alternatives: offered
          .filter((l) => l !== language)
          .map((l) => ({ language: l, href: `${here}?lang=${l}` })),
        statement: statementIn(c.statement, language),
        coalition,
        closesAt: settings.closesAt,
        signed: signed.map((s) => ({
          name: s.displayName,
          ...(s.latin ? { latin: s.latin } : {}),
          country: s.country,
        })),
        ...extra,
      }),
      { 'content-language': language },
    );
  };
  if (method === 'GET') return show(200, {});

  const fields: Record<string, string> = {};
  for (const k of FORM_FIELDS) {
    const v = form!.get(k);
    if (v !== null) fields[k] = v;
  }
  if (!('consent' in fields)) fields.consent = '';
  const ip = event.requestContext.http.sourceIp ?? '';
  const outcome = await submitSignature(d, {
    campaign: c,
    settings,
    invite: inviteId,
    fields,
    trap: form!.get(TRAP_FIELD) ?? '',
    language,
    consent: w.consent(coalition),
    ipKey: createHmac('sha256', purposeKey(secret, 'signon-ip'))
      .update(ip)
      .digest('base64url')
      .slice(0, 22),
    emailKey: (email) => addressKey(secret, email),
    newId: randomBytes(9).toString('base64url'),
    expiresAt: personalExpiry(c, retentionDaysFromEnv()),
  });
  const sent = {
    statusCode: 303,
    headers: { location: `${here}?sent=1&lang=${language}`, 'cache-control': 'no-store' },
    body: '',
  };
  switch (outcome.outcome) {
    case 'trap':
      return sent;
    case 'closed':
      return page(410, noticePage(language, w.closedHeading, w.closedBody, coalition));
    case 'limited':
      return page(429, noticePage(language, w.problemsHeading, w.tooMany, coalition), {
        'retry-after': '3600',
      });
    case 'invalid':
      return show(422, { values: fields, issues: outcome.issues });
    case 'already':
      return show(409, { values: fields, notice: w.already });
    case 'pending': {
      const s = outcome.signatory;
      // Once per signature, whatever is retried: the claim is a conditional write before the send.
      if (!(await d.signon.claimMail(campaignId, s.id, now.toISOString()))) return sent;
      try {
        await d.rateLimiter.acquire();
        const { messageId } = await d.mailer.send(
          confirmationMail(
            statementIn(c.statement, language),
            s,
            confirmUrl(d.config.publicUrl, secret, campaignId, s.id),
          ),
        );
        await d.signon.update(campaignId, s.id, { messageId });
        return sent;
      } catch (err) {
        log.warn('sign-on confirmation not sent', {
          campaignId,
          signatory: s.id,
          error: (err as Error).message,
        });
        await d.signon.update(campaignId, s.id, {
          mailError: (err as Error).message.slice(0, 300),
        });
        return page(202, noticePage(language, w.sentHeading, w.mailFailed, coalition));
      }
    }
  }
}
