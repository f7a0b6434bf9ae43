/**
 * The signed addresses of sign-on's public pages (served by the sign-on
 * function, functions/signon/routes.ts): the invite link (public or personal;
 * it carries the sign-on's current key, so a new key voids every earlier
 * link), the emailed confirmation link, and the full list the letter links
 * to when it cannot hold every name.
 */
import { signToken } from '../tokens.js';
import type { SignonSettings } from './model.js';

export function inviteUrl(
  publicUrl: string,
  secret: string,
  s: SignonSettings,
  invite = 'public',
): string {
  return `${publicUrl}/s/${signToken(secret, 'signon', [s.campaignId, s.inviteKey, invite])}`;
}

export function listUrl(publicUrl: string, secret: string, campaignId: string): string {
  return `${publicUrl}/s/l/${signToken(secret, 'signon-list', [campaignId])}`;
}

export function confirmUrl(
  publicUrl: string,
  secret: string,
  campaignId: string,
  id: string,
): string {
  return `${publicUrl}/s/c/${signToken(secret, 'signon-confirm', [campaignId, id])}`;
}

/**
 * The public open-letter page (`/s/o/<token>`): the statement and its
 * approved signatories once the letters went out, when a campaigner turned
 * it on. Its token is the full list's: both name the campaign's public
 * listing and nothing more.
 */
export function openLetterUrl(publicUrl: string, secret: string, campaignId: string): string {
  return `${publicUrl}/s/o/${signToken(secret, 'signon-list', [campaignId])}`;
}
