/**
 * One open or click per recipient (and per link) within a window: a token
 * fetched again and again — a replayed pixel, a reader reloading, a scanner
 * in a loop — adds at most one event per window to the timeline and the
 * counts. The time of the last one recorded is kept on the recipient
 * (`lastSeen`, one entry per kind and link), and the events function's
 * version lock on the recipient makes the check exact under concurrency:
 * of two events applied at once, the second sees the first's time.
 */
import { createHash } from 'node:crypto';
import type { EngagementEvent } from './model.js';

/** At most one open, and one click per link, per recipient in this long. */
export const REPEAT_WINDOW_MS = 60_000;

/** The dedupe key of an event of our tracking routes; undefined for everything else. */
export function repeatKey(e: EngagementEvent): string | undefined {
  if (e.source === 'pixel' && e.type === 'open') return 'open';
  if (e.source === 'link' && e.type === 'click')
    return `click:${createHash('sha256')
      .update(e.link ?? '')
      .digest('base64url')
      .slice(0, 16)}`;
  return undefined;
}

/** Whether `e` comes within the window of the last event recorded under its key. */
export function isRepeat(
  lastSeen: Record<string, string> | undefined,
  e: EngagementEvent,
  windowMs = REPEAT_WINDOW_MS,
): boolean {
  const key = repeatKey(e);
  const last = key ? lastSeen?.[key] : undefined;
  if (!last) return false;
  return Math.abs(Date.parse(e.at) - Date.parse(last)) < windowMs;
}

/** `lastSeen` once `e` is recorded; undefined when `e` is not deduplicated. */
export function noteSeen(
  lastSeen: Record<string, string> | undefined,
  e: EngagementEvent,
): Record<string, string> | undefined {
  const key = repeatKey(e);
  return key ? { ...lastSeen, [key]: e.at } : undefined;
}
