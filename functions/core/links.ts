/**
 * The addresses a letter carries that lead back to demarche: the open pixel,
 * click redirects, one-click unsubscribe, the web version and the reply
 * address. Each carries a signed token (tokens.ts), so the routes and the
 * inbound handler can trust what they are told without a lookup.
 */
import type { KeyRing } from './key-ring.js';
import { signRingToken, tokenKeyId, verifyRingToken } from './tokens.js';

export interface LinkContext {
  /** Base URL of the public HTTP routes, without a trailing slash. */
  publicUrl: string;
  /** The deployment's own privacy notice, when it has one; else the generated page (privacyPageUrl). */
  privacyUrl?: string;
  /** The deployment's keys: links are signed by the current one and name it. */
  keys: KeyRing;
  campaignId: string;
  recipientId: string;
}

export function openPixelUrl(c: LinkContext): string {
  return `${c.publicUrl}/t/o/${signRingToken(c.keys, 'open', [c.campaignId, c.recipientId])}.gif`;
}

/** A click redirect for the link at `index` in the letter; the route only redirects to that link. */
export function clickUrl(c: LinkContext, index: number): string {
  return `${c.publicUrl}/t/c/${signRingToken(c.keys, 'click', [c.campaignId, c.recipientId, String(index)])}`;
}

export function unsubscribeUrl(c: LinkContext): string {
  return `${c.publicUrl}/u/${signRingToken(c.keys, 'unsubscribe', [c.campaignId, c.recipientId])}`;
}

export function webVersionUrl(c: LinkContext): string {
  return `${c.publicUrl}/w/${signRingToken(c.keys, 'web', [c.campaignId, c.recipientId])}`;
}

/**
 * Where a letter's "how your address is used" link leads: the deployment's
 * own privacy notice when configured (DEMARCHE_PRIVACY_URL), else the page
 * demarche generates from the deployment's configuration (GET /privacy).
 */
export function privacyPageUrl(
  c: Pick<LinkContext, 'publicUrl' | 'privacyUrl'>,
  language?: string,
): string {
  if (c.privacyUrl) return c.privacyUrl;
  return `${c.publicUrl}/privacy${language ? `?lang=${encodeURIComponent(language)}` : ''}`;
}

/**
 * The per-recipient reply address, `reply+TOKEN@domain`, within the 64
 * characters mail allows a local part: "reply+", a campaign id (19
 * characters for generated ones), "~", the 21-character recipient id, the
 * key id (".k1." … ".k99.") and a MAC shortened to 9 bytes (12 characters,
 * 72 bits: forging one means sending ~2^71 letters). Addresses from before
 * key ids carry a 10-byte MAC and no id.
 */
export function replyAddress(c: Omit<LinkContext, 'publicUrl'>, domain: string): string {
  return `reply+${signRingToken(c.keys, 'reply', [c.campaignId, c.recipientId], REPLY_MAC_BYTES)}@${domain}`;
}

const REPLY_MAC_BYTES = 9;
const LEGACY_REPLY_MAC_BYTES = 10;

/** The key id the first signed reply address among `addresses` names, if any. */
export function replyKeyId(addresses: string[]): string | undefined {
  for (const a of addresses) {
    const m = /^reply\+([^@]+)@/i.exec(a.trim());
    const id = m ? tokenKeyId(m[1]!) : undefined;
    if (id) return id;
  }
  return undefined;
}

/** Reads campaign and recipient from a reply address; undefined when the token is missing or forged. */
export function parseReplyAddress(
  keys: KeyRing,
  address: string,
): { campaignId: string; recipientId: string } | undefined {
  const m = /^reply\+([^@]+)@/i.exec(address.trim());
  if (!m) return undefined;
  const token = m[1]!;
  const bytes = tokenKeyId(token) ? REPLY_MAC_BYTES : LEGACY_REPLY_MAC_BYTES;
  const fields = verifyRingToken(keys, 'reply', token, 2, bytes);
  return fields ? { campaignId: fields[0]!, recipientId: fields[1]! } : undefined;
}
