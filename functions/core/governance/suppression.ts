/**
 * Suppression without the address. An erased person who asked
 * never to be mailed again is kept on the suppression list under a keyed hash
 * of their address (HMAC-SHA256 with the deployment's secret), not the
 * address: a dictionary of addresses cannot be run against the table without
 * the secret, yet every suppression check can still match them.
 */
import { createHmac } from 'node:crypto';
import { normaliseEmail } from '../recipients.js';

/** Marks a suppression key that is a keyed hash, not an address. */
export const HASHED_PREFIX = 'hmac:';

/**
 * The suppression key of an address kept only as a keyed hash: the same for
 * the same (normalised) address and secret, and nothing without the secret.
 */
export function hashedSuppression(secret: string, email: string): string {
  const digest = createHmac('sha256', secret)
    .update(`demarche suppression\n${normaliseEmail(email)}`)
    .digest('base64url');
  return `${HASHED_PREFIX}${digest}`;
}
