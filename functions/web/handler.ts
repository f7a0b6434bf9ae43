/**
 * GET /w/<token>: the "view in browser" version of one recipient's letter;
 * GET /privacy: the privacy notice demarche generates from the deployment's
 * configuration (when the deployment names no page of its own). Its adapters
 * are publicDeps(): this function faces the internet and loads only what it reads.
 *
 * The token (core/links.ts webVersionUrl) names the campaign and recipient and
 * is signed, so the route renders from stored data only what the letter's own
 * link allows: the same compiled letter merged with the same values, without
 * the open pixel (viewing the web version is not an open of the email) and
 * without its own "view in browser" link, with the approved text it was sent
 * from said in words (core/recipient-pages/web-version.ts). A forged or
 * altered token gets the same 404 as a letter that does not exist.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { publicDeps as deps } from '../adapters/public-deps.js';
import { retentionDaysFromEnv } from '../adapters/retention-env.js';
import { languageFor, personalLetter } from '../core/personal-letter.js';
import { PAGE_CSP } from '../core/recipient-pages/layout.js';
import { PAGE_LANGUAGES } from '../core/recipient-pages/page-words.js';
import { privacyPage } from '../core/recipient-pages/privacy-page.js';
import { goneLinkPage } from '../core/recipient-pages/unsubscribe-page.js';
import { webVersionPage } from '../core/recipient-pages/web-version.js';
import { testLetterId } from '../core/test-letters.js';
import { tokenKeyId, verifyRingToken } from '../core/tokens.js';

const NO_STORE = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
  'x-robots-tag': 'noindex',
};
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The letter has no scripts; images only from the tracking host; nothing else may run.
  'content-security-policy':
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  ...NO_STORE,
};

function notFound(): APIGatewayProxyStructuredResultV2 {
  const page = goneLinkPage();
  return {
    statusCode: 404,
    headers: { ...HEADERS, 'content-security-policy': PAGE_CSP },
    body: page.html,
  };
}

/** GET /privacy[?lang=xx]: in the language asked for, else the browser's first one we have, else English. */
function privacy(event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 {
  const d = deps();
  const asked = new URLSearchParams(event.rawQueryString ?? '').get('lang') ?? '';
  const accepted = (event.headers?.['accept-language'] ?? '')
    .split(',')
    .map((l) => l.split(';')[0]!.trim().toLowerCase());
  const language =
    [asked.toLowerCase(), ...accepted]
      .map((l) => l.split('-')[0]!)
      .find((l) => PAGE_LANGUAGES.includes(l)) ?? 'en';
  return {
    statusCode: 200,
    headers: {
      ...HEADERS,
      'content-security-policy': PAGE_CSP,
      // The same for everyone: it names no one.
      'cache-control': 'public, max-age=300',
      'content-language': language,
    },
    body: privacyPage({
      language,
      controller: d.config.privacyController,
      contact: d.config.privacyContact,
      retentionDays: retentionDaysFromEnv(),
    }),
  };
}

/** A test letter's web version: stored when it was sent, for a few days (core/test-letters.ts). */
async function testLetterPage(
  id: string,
  recipientId: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  const letter = await deps().testLetters.get(id);
  if (!letter || letter.recipientId !== recipientId) return notFound();
  return {
    statusCode: 200,
    headers: { ...HEADERS, 'x-demarche-test': 'yes' },
    body: webVersionPage(letter.html, { language: letter.language, test: true }),
  };
}

export async function handler(
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.rawPath === '/privacy') return privacy(event);
  const m = /^\/w\/([^/]+)$/.exec(event.rawPath);
  if (!m) return notFound();
  const d = deps();
  let token: string;
  try {
    token = decodeURIComponent(m[1]!);
  } catch {
    return notFound(); // malformed percent-encoding: no letter has such a link
  }
  const keys = await d.keys(tokenKeyId(token));
  const fields = verifyRingToken(keys, 'web', token, 2);
  if (!fields) return notFound();
  const [campaignId, recipientId] = fields as [string, string];
  const testId = testLetterId(campaignId);
  if (testId) return testLetterPage(testId, recipientId);
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
    { publicUrl: d.config.publicUrl, privacyUrl: d.config.privacyUrl, keys },
    { pixel: false, web: false },
  );
  // The approved version this letter was sent from: in words, and its hash for whoever checks.
  const version = /^[0-9a-f]{64}$/.test(recipient.versionHash ?? '') ? recipient.versionHash! : '';
  const approvedAt =
    version && campaign.launch?.versionHash === version ? campaign.launch.approvedAt : undefined;
  return {
    statusCode: 200,
    headers: { ...HEADERS, ...(version ? { 'x-demarche-version': version } : {}) },
    body: webVersionPage(letter.html, {
      language: template.language,
      ...(version ? { versionHash: version } : {}),
      ...(approvedAt ? { approvedAt } : {}),
    }),
  };
}
