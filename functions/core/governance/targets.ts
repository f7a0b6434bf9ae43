/**
 * Targets that stay current: ministers and their offices change,
 * so the addresses of officials (ministers, EU institutions) carry the day
 * they were last verified, and staff are warned before launch about those not
 * verified within a window (90 days unless configured).
 */
import type { Group } from '../recipients.js';

export const DEFAULT_VERIFY_WINDOW_DAYS = 90;
/** The groups whose people change with governments and appointments. */
export const OFFICIAL_GROUPS: readonly Group[] = ['minister', 'eu-institution'];

export interface TargetLike {
  email: string;
  name?: string;
  group: Group;
  lastVerified?: string;
  source?: string;
}

export interface StaleTarget {
  email: string;
  name?: string;
  group: Group;
  lastVerified?: string;
  /** Whole days since the verification; absent when never verified. */
  ageDays?: number;
}

export interface TargetCheck {
  windowDays: number;
  officials: number;
  /** Officials verified longer ago than the window. */
  stale: number;
  /** Officials with no verification date at all. */
  unverified: number;
  /** The first few, oldest first (never verified before any), for the warning. */
  examples: StaleTarget[];
}

/** Checks officials' verification dates against the window, as of `now`. */
export function checkTargets(
  recipients: Iterable<TargetLike>,
  now: Date,
  windowDays = DEFAULT_VERIFY_WINDOW_DAYS,
  maxExamples = 10,
): TargetCheck {
  const out: TargetCheck = { windowDays, officials: 0, stale: 0, unverified: 0, examples: [] };
  const all: StaleTarget[] = [];
  for (const r of recipients) {
    if (!OFFICIAL_GROUPS.includes(r.group)) continue;
    out.officials++;
    const base = { email: r.email, group: r.group, ...(r.name ? { name: r.name } : {}) };
    if (!r.lastVerified) {
      out.unverified++;
      all.push(base);
      continue;
    }
    const ageDays = Math.floor(
      (now.getTime() - Date.parse(`${r.lastVerified}T00:00:00Z`)) / 86_400_000,
    );
    if (ageDays > windowDays) {
      out.stale++;
      all.push({ ...base, lastVerified: r.lastVerified, ageDays });
    }
  }
  all.sort((a, b) => (b.ageDays ?? Infinity) - (a.ageDays ?? Infinity));
  out.examples = all.slice(0, maxExamples);
  return out;
}

/** One line for people: what is out of date and what to do, or undefined when all is current. */
export function targetWarning(c: TargetCheck): string | undefined {
  if (!c.stale && !c.unverified) return undefined;
  const parts = [];
  if (c.stale) parts.push(`${c.stale} not verified in the last ${c.windowDays} days`);
  if (c.unverified) parts.push(`${c.unverified} never verified`);
  const list = c.examples
    .slice(0, 5)
    .map((e) => `${e.email} (${e.lastVerified ?? 'never'})`)
    .join(', ');
  return `Warning: of ${c.officials} ministers and EU officials, ${parts.join(' and ')}; ministers and their offices change: check these addresses (lastVerified column) before launch: ${list}${c.examples.length > 5 ? ' …' : ''}`;
}
