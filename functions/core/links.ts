/**
 * The addresses a letter carries that lead back to demarche: the open pixel,
 * click redirects, one-click unsubscribe, the web version and the reply
 * address. Each carries a signed token (tokens.ts), so the routes and the
 * inbound handler can trust what they are told without a lookup.
 */
import { signToken, verifyToken } from './tokens.js';

export interface LinkContext {
  /** Base URL of the public HTTP routes, without a trailing slash. */
  publicUrl: string;
  /** The deployment's own privacy notice, when it has one; else the generated page (privacyPageUrl). */
  privacyUrl?: string;
  secret: string;
  campaignId: string;
  recipientId: string;
}

export function openPixelUrl(c: LinkContext): string {
  return `${c.publicUrl}/t/o/${signToken(c.secret, 'open', [c.campaignId, c.recipientId])}.gif`;
}

/** A click redirect for the link at `index` in the letter; the route only redirects to that link. */
export function clickUrl(c: LinkContext, index: number): string {
  return `${c.publicUrl}/t/c/${signToken(c.secret, 'click', [c.campaignId, c.recipientId, String(index)])}`;
}

export function unsubscribeUrl(c: LinkContext): string {
  return `${c.publicUrl}/u/${signToken(c.secret, 'unsubscribe', [c.campaignId, c.recipientId])}`;
}

export function webVersionUrl(c: LinkContext): string {
  return `${c.publicUrl}/w/${signToken(c.secret, 'web', [c.campaignId, c.recipientId])}`;
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
 * The per-recipient reply address, `reply+TOKEN@domain`. The MAC is shortened
 * to 10 bytes so the local part stays well under 64 characters.
 */
export function replyAddress(c: Omit<LinkContext, 'publicUrl'>, domain: string): string {
  return `reply+${signToken(c.secret, 'reply', [c.campaignId, c.recipientId], REPLY_MAC_BYTES)}@${domain}`;
}

const REPLY_MAC_BYTES = 10;

/** Reads campaign and recipient from a reply address; undefined when the token is missing or forged. */
export function parseReplyAddress(
  secret: string,
  address: string,
): { campaignId: string; recipientId: string } | undefined {
  const m = /^reply\+([^@]+)@/i.exec(address.trim());
  if (!m) return undefined;
  const fields = verifyToken(secret, 'reply', m[1]!, 2, REPLY_MAC_BYTES);
  return fields ? { campaignId: fields[0]!, recipientId: fields[1]! } : undefined;
}
