/**
 * Compact signed tokens for everything a letter links to or replies through
 * (open pixel, click, unsubscribe, web version, reply address).
 *
 * A token is `<fields>.<mac>`: the fields joined by "~" (each must be URL-safe
 * and "~"-free) and a truncated HMAC-SHA256 over the kind and the fields, in
 * base64url. 16 bytes of MAC (22 characters) make forgery impractical while
 * keeping a reply address well under the 64-character local-part limit for
 * short ids. Verification is constant-time; a token of one kind never passes
 * as another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenKind =
  | 'open'
  | 'click'
  | 'unsubscribe'
  | 'web'
  | 'reply'
  /** Coalition sign-on: an invite link, a confirmation link, the full list of signatories. */
  | 'signon'
  | 'signon-confirm'
  | 'signon-list';

const MAC_BYTES = 16;
const FIELD = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, kind: TokenKind, payload: string, bytes = MAC_BYTES): Buffer {
  return createHmac('sha256', secret).update(`${kind}\n${payload}`).digest().subarray(0, bytes);
}

/** Signs URL-safe fields (ids, indexes) as one token of `kind`. */
export function signToken(
  secret: string,
  kind: TokenKind,
  fields: string[],
  macBytes = MAC_BYTES,
): string {
  for (const f of fields) {
    if (!FIELD.test(f)) throw new Error(`token field ${JSON.stringify(f)} is not URL-safe`);
  }
  const payload = fields.join('~');
  return `${payload}.${mac(secret, kind, payload, macBytes).toString('base64url')}`;
}

/** Returns the fields of a valid token of `kind`, or undefined for anything forged, altered or malformed. */
export function verifyToken(
  secret: string,
  kind: TokenKind,
  token: string,
  expectedFields: number,
  macBytes = MAC_BYTES,
): string[] | undefined {
  if (typeof token !== 'string' || token.length > 512) return undefined;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  // Compare the encoded text, not decoded bytes: base64url has several spellings of the last bits.
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, kind, payload, macBytes).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const fields = payload.split('~');
  if (fields.length !== expectedFields || fields.some((f) => !FIELD.test(f))) return undefined;
  return fields;
}
