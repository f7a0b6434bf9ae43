/**
 * The words the dashboard uses for what the API returns in codes: how a
 * reply was matched, what kind of message it is, where a recipient's letter
 * is. Plain language for campaigners, not the store's field names. Pure.
 */
import { deliveryWords, type DeliveryFacts } from './delivery.js';
import { formatWhen } from './time.js';

/** How a reply was tied to a recipient, as staff should read it. */
export const MATCH_LABELS: Record<string, string> = {
  token: 'signed reply address',
  'message-id': 'answers our message',
  sender: 'same sender address, unverified',
  none: 'not matched to a recipient',
};

export function matchLabel(match: { by: string; strength?: string } | undefined): string {
  if (!match) return MATCH_LABELS.none!;
  return MATCH_LABELS[match.by] ?? `matched by ${match.by}`;
}

export const REPLY_KIND_LABELS: Record<string, string> = {
  human: 'written by a person',
  'auto-reply': 'automatic reply',
  forward: 'forwarded our letter',
  bounce: 'delivery report',
  rejected: 'could not be read',
};

export const GROUP_LABELS: Record<string, string> = {
  minister: 'minister',
  'eu-institution': 'EU institution',
  ngo: 'NGO',
  other: 'other',
};

/** SES's receipt verdicts (SPF, DKIM, DMARC, spam, virus) in one line: "SPF pass, DKIM fail". */
export function verdictText(verdicts: Record<string, string> | undefined): string {
  if (!verdicts) return '';
  const names: Record<string, string> = {
    spf: 'SPF',
    dkim: 'DKIM',
    dmarc: 'DMARC',
    spam: 'spam check',
    virus: 'virus check',
  };
  return Object.entries(verdicts)
    .map(([k, v]) => `${names[k.toLowerCase()] ?? k} ${String(v).toLowerCase()}`)
    .join(', ');
}

export { deliveryTone, type DeliveryFacts } from './delivery.js';

/** "delivered", "bounced (hard …): reason", "held until 14 Dec 2026, 08:00 Brussels", with fallback and unsubscribe. */
export function deliveryText(r: DeliveryFacts, zone: string): string {
  return deliveryWords(r, (iso) => formatWhen(iso, zone));
}

/** "12 %" of a whole, or "–" when there is no whole yet. */
export function rate(part: number, whole: number): string {
  if (!whole) return '–';
  const pct = (100 * part) / whole;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : Math.round(pct * 10) / 10} %`;
}

/** 3000 → "3,000". */
export const count = (n: number) => n.toLocaleString('en-GB');

/** "1 letter", "2 letters". */
export const plural = (n: number, one: string, many = `${one}s`) =>
  `${count(n)} ${n === 1 ? one : many}`;
