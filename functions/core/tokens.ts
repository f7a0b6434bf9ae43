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
 *
 * Letter tokens are signed with the deployment's key ring (key-ring.ts) and
 * carry the signing key's id between the fields and the MAC, so keys can be
 * rotated without breaking the links of letters already delivered.
 * signToken/verifyToken, keyed by one secret, remain for tokens outside the
 * ring and for tokens issued before key ids.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KEY_ID, type KeyRing, keyById, LEGACY_KEY_ID, type RingKey } from './key-ring.js';
import { purposeKey } from './purpose-keys.js';

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
  const payload = joined(fields);
  return `${payload}.${mac(secret, kind, payload, macBytes).toString('base64url')}`;
}

/** The fields as one payload, refusing any that is not URL-safe. */
function joined(fields: string[]): string {
  for (const f of fields) {
    if (!FIELD.test(f)) throw new Error(`token field ${JSON.stringify(f)} is not URL-safe`);
  }
  return fields.join('~');
}

/**
 * The fields of `payload` when `given` is the expected MAC (constant-time) and
 * the count is right. Compares the encoded text, not decoded bytes: base64url
 * has several spellings of the last bits.
 */
function checked(
  payload: string,
  given: string,
  expectedMac: Buffer,
  expectedFields: number,
): string[] | undefined {
  const a = Buffer.from(given);
  const b = Buffer.from(expectedMac.toString('base64url'));
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  const fields = payload.split('~');
  if (fields.length !== expectedFields || fields.some((f) => !FIELD.test(f))) return undefined;
  return fields;
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
  return checked(
    payload,
    token.slice(dot + 1),
    mac(secret, kind, payload, macBytes),
    expectedFields,
  );
}

/**
 * A token signed by the ring's current key, carrying its id:
 * `<fields>.<key id>.<mac>`. The MAC key is the key's own `links` or `reply`
 * purpose key (purpose-keys.ts), and the id is signed with the fields, so a
 * token cannot be moved to another key.
 */
export function signRingToken(
  ring: KeyRing,
  kind: TokenKind,
  fields: string[],
  macBytes = MAC_BYTES,
): string {
  const payload = joined(fields);
  const key = ring.current;
  return `${payload}.${key.id}.${ringMac(key, kind, payload, macBytes).toString('base64url')}`;
}

/**
 * The fields of a valid token of `kind` signed by a key the ring still holds,
 * or undefined. A token names its key; one without a name was signed before
 * key ids existed and verifies against k0 while the ring holds it. A token of
 * a retired key fails exactly as a forged one does.
 */
export function verifyRingToken(
  ring: KeyRing,
  kind: TokenKind,
  token: string,
  expectedFields: number,
  macBytes = MAC_BYTES,
): string[] | undefined {
  const id = tokenKeyId(token);
  if (id === undefined) {
    const legacy = keyById(ring, LEGACY_KEY_ID);
    return legacy ? verifyToken(legacy.secret, kind, token, expectedFields, macBytes) : undefined;
  }
  const key = keyById(ring, id);
  if (!key) return undefined;
  const dot = token.lastIndexOf('.');
  const payload = token.slice(0, dot - id.length - 1);
  const expected = ringMac(key, kind, payload, macBytes);
  return checked(payload, token.slice(dot + 1), expected, expectedFields);
}

/**
 * The key id a token names (`<fields>.<id>.<mac>`), or undefined for a token
 * without one (`<fields>.<mac>`, from before key ids) or a malformed one.
 * Fields never hold a ".", so two dots mean an id.
 */
export function tokenKeyId(token: string): string | undefined {
  if (typeof token !== 'string' || token.length > 512) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0]) return undefined;
  return KEY_ID.test(parts[1]!) ? parts[1] : undefined;
}

function ringMac(key: RingKey, kind: TokenKind, payload: string, bytes: number): Buffer {
  const purpose = kind === 'reply' ? 'reply' : 'links';
  return createHmac('sha256', purposeKey(key.secret, purpose))
    .update(`${kind}\n${key.id}\n${payload}`)
    .digest()
    .subarray(0, bytes);
}
