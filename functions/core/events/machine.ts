/**
 * Telling people from machines. Mail privacy proxies and security scanners
 * fetch images and links on a person's behalf, so an open or click is only
 * counted as human when nothing says otherwise. The dashboard's "opened"
 * means human; machine opens and clicks are counted apart.
 */
import { isbot } from 'isbot';

export type Actor = { kind: 'human' } | { kind: 'machine'; reason: string };

/** Security scanners fetch every link (and image) within seconds of delivery. */
export const SCANNER_WINDOW_MS = 15_000;
/** Image proxies that prefetch on arrival do so within a few seconds; later fetches are a person opening. */
export const PREFETCH_WINDOW_MS = 5_000;

// Mail providers' image proxies fetch when a person opens the letter (Gmail, Yahoo):
// a fetch long after delivery is a person; one right at delivery is a prefetch.
const OPENING_PROXY = /GoogleImageProxy|YahooMailProxy/i;

/** Apple owns 17.0.0.0/8; Mail Privacy Protection fetches every image from there on arrival. */
function appleAddress(ip: string | undefined): boolean {
  return ip !== undefined && /^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

export interface Sighting {
  type: 'open' | 'click';
  at: string;
  userAgent?: string;
  ip?: string;
  /** When the letter was delivered (or, failing that, sent): scanners act within seconds of it. */
  arrivedAt?: string;
}

/** Classifies one open or click as a person or a machine, with the reason shown to staff. */
export function classify(s: Sighting): Actor {
  const ua = (s.userAgent ?? '').trim();
  const sinceArrival =
    s.arrivedAt !== undefined
      ? Date.parse(s.at) - Date.parse(s.arrivedAt)
      : Number.POSITIVE_INFINITY;
  if (s.type === 'open') {
    if (appleAddress(s.ip) || ua === 'Mozilla/5.0') {
      return { kind: 'machine', reason: 'Apple Mail Privacy Protection' };
    }
    if (OPENING_PROXY.test(ua)) {
      return sinceArrival < PREFETCH_WINDOW_MS
        ? { kind: 'machine', reason: 'image proxy prefetch' }
        : { kind: 'human' };
    }
  }
  if (ua === '') return { kind: 'machine', reason: 'no user agent' };
  if (isbot(ua)) return { kind: 'machine', reason: 'known bot user agent' };
  // Either side of the delivery time: clocks differ, and a scanner may act before SES reports delivery.
  if (s.type === 'click' && Math.abs(sinceArrival) < SCANNER_WINDOW_MS) {
    return { kind: 'machine', reason: 'security scanner (clicked within seconds of delivery)' };
  }
  return { kind: 'human' };
}
