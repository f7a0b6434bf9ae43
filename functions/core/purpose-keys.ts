/**
 * One deployment secret, several keys: each use of it (signing links,
 * signing reply addresses, the suppression hash of erased people, the
 * address index erasure finds people by, recipient ids) gets a key of its
 * own, derived with HKDF-SHA256 (RFC 5869). A key of one purpose reveals
 * nothing about another's, and a value made for one purpose never verifies
 * as another's.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { normaliseEmail } from './recipients.js';

export type KeyPurpose =
  | 'links'
  | 'reply'
  | 'suppression'
  | 'address-index'
  | 'recipient-id'
  /** Sign-on's rate counters: an IP address counted without being stored. */
  | 'signon-ip';

const SALT = 'demarche key derivation v1';
const derived = new Map<string, Buffer>();

/** The 32-byte key of `purpose` derived from `secret` (cached: the same inputs give the same key). */
export function purposeKey(secret: string, purpose: KeyPurpose): Buffer {
  const id = `${purpose}\n${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, SALT, `demarche ${purpose}`, 32));
    if (derived.size > 64) derived.clear();
    derived.set(id, key);
  }
  return key;
}

/**
 * The keyed hash an address is found by in the erasure index (PERSON#…):
 * the same for the same normalised address and secret; without the secret,
 * a list of guessed addresses cannot be matched against it.
 */
export function addressKey(secret: string, email: string): string {
  return createHmac('sha256', purposeKey(secret, 'address-index'))
    .update(normaliseEmail(email))
    .digest('base64url')
    .slice(0, 32);
}
