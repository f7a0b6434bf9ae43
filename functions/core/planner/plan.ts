/**
 * The send-out planner: when can each letter go out so that every one lands
 * inside its recipient's office hours, in their own time zone, before the
 * deadline — given how fast SES lets us send (rate) and how much in any 24
 * hours (quota)? Pure: recipients, options and the clock's "now" in, a Plan
 * out.
 *
 * The schedule is built slot by slot: slots are one send interval apart (the
 * rate); at each slot, of the zones whose office is open and that still have
 * letters, the one whose window closes first is served (earliest deadline
 * first, so eastern offices are written to before they close); when no office
 * is open the clock jumps to the next opening; the quota holds a slot back
 * until the letter `quota` sends earlier is 24 hours old. Recipients of one
 * zone are interchangeable, so the schedule is computed per zone and handed
 * to them in list order.
 *
 * When the letters do not all fit, the same simulation answers the
 * campaigner's questions: how many would miss, when the last one would go out
 * without the deadline, the slowest rate that fits, the quota that fits, and
 * the latest start that still fits.
 */
import { PlanInputError } from './errors.js';
import {
  DAY,
  DEFAULT_OFFICE_HOURS,
  MINUTE,
  type OfficeHours,
  officeWindows,
  type Window,
} from './time.js';
import { isKnownZone, zoneForCountry } from './zones.js';

export interface PlanRecipient {
  id: string;
  /** ISO 3166-1 alpha-2; decides the time zone of the recipient's office hours. */
  country?: string;
}

export interface PlanOptions {
  /** Letters per second the senders are paced to. */
  rate: number;
  /** Letters SES accepts in any 24 hours (rolling window); undefined: no limit. */
  quota?: number;
  /** Local office hours every letter must land in; default 08:00–18:00, Monday to Friday. */
  hours?: OfficeHours;
  /** Nothing may be sent at or after this instant. */
  deadline: Date;
  /** The first instant a letter may leave (usually now). */
  earliestStart: Date;
  /** Zone of recipients without a known country, and of the plan's wording. Default Europe/Brussels. */
  zone?: string;
}

export interface PlannedSend {
  recipientId: string;
  zone: string;
  /** ISO instant the letter goes out. */
  at: string;
}

export interface ZonePlan {
  zone: string;
  countries: string[];
  letters: number;
  /** Letters this zone would not get before the deadline. */
  missed: number;
  first?: string;
  last?: string;
}

export interface Shortfall {
  /** Letters that would not land inside office hours before the deadline. */
  missed: number;
  /** When the last letter would go out if the deadline did not stop the send-out (within 90 days). */
  wouldFinish?: string;
  /** Minutes between the deadline and `wouldFinish`. */
  lateByMinutes?: number;
  /** The slowest rate (letters/second) that fits from the same start; undefined when no rate up to 1000/s does. */
  rateNeeded?: number;
  /** The smallest 24-hour quota that fits at this rate, when the quota is what holds it back. */
  quotaNeeded?: number;
  /** When neither a faster rate nor a larger quota fits alone: a rate and a quota that fit together. */
  rateAndQuotaNeeded?: { rate: number; quota: number };
  /** Zones with letters to send and no office hours at all between the start and the deadline. */
  closedZones: string[];
}

export interface Plan {
  feasible: boolean;
  letters: number;
  /** Letters placed before the deadline. */
  placed: number;
  /** Proposed start: when the first letter goes out. */
  start?: string;
  /** When the last placed letter goes out. */
  finish?: string;
  /** The latest start that still lands every letter in time (undefined when none in the 28 days before the deadline does). */
  latestStart?: string;
  deadline: string;
  earliestStart: string;
  rate: number;
  quota?: number;
  hours: OfficeHours;
  zone: string;
  zones: ZonePlan[];
  /** Recipients whose country is missing or not in the zone table, planned in `zone`. */
  assumed: { country: string; letters: number }[];
  shortfall?: Shortfall;
  /** Every placed letter, in time order. */
  sends: PlannedSend[];
}

/** How far before the deadline the planner looks for a start that works. */
export const LOOKBACK = 28 * DAY;
/** How far after the deadline it follows a send-out that does not fit. */
export const LOOKAHEAD = 90 * DAY;
const MAX_RATE = 1000;

interface Group {
  zone: string;
  countries: Set<string>;
  ids: string[];
  windows: Window[];
}

interface Run {
  placed: number;
  times: Float64Array;
  zoneOf: Int32Array;
}

/**
 * Places letters from `start` until `stop` (exclusive), one slot every
 * `interval` ms; see the file comment for the order. Stops early when every
 * letter is placed.
 */
function simulate(
  groups: Group[],
  interval: number,
  quota: number | undefined,
  start: number,
  stop: number,
): Run {
  const total = groups.reduce((n, g) => n + g.ids.length, 0);
  const times = new Float64Array(total);
  const zoneOf = new Int32Array(total);
  const left = groups.map((g) => g.ids.length);
  const ptr = groups.map(() => 0);
  let t = start;
  let k = 0;
  while (k < total) {
    if (quota !== undefined && k >= quota) t = Math.max(t, times[k - quota]! + DAY);
    if (t >= stop) break;
    let best = -1;
    let bestClose = Infinity;
    let nextOpen = Infinity;
    for (let z = 0; z < groups.length; z++) {
      if (left[z] === 0) continue;
      const ws = groups[z]!.windows;
      let i = ptr[z]!;
      while (i < ws.length && ws[i]!.close <= t) i++;
      ptr[z] = i;
      const w = ws[i];
      if (!w) continue;
      if (w.open <= t) {
        if (w.close < bestClose || (w.close === bestClose && left[z]! > left[best]!)) {
          best = z;
          bestClose = w.close;
        }
      } else if (w.open < nextOpen) nextOpen = w.open;
    }
    if (best < 0) {
      if (nextOpen === Infinity) break;
      t = nextOpen;
      continue;
    }
    times[k] = t;
    zoneOf[k] = best;
    left[best]!--;
    k++;
    t += interval;
  }
  return { placed: k, times, zoneOf };
}

function groupRecipients(
  recipients: PlanRecipient[],
  fallback: string,
): { groups: Group[]; assumed: Map<string, number> } {
  const byZone = new Map<string, Group>();
  const assumed = new Map<string, number>();
  for (const r of recipients) {
    const country = r.country?.toUpperCase();
    let zone = zoneForCountry(country);
    if (!zone) {
      zone = fallback;
      const key = country ?? '(none)';
      assumed.set(key, (assumed.get(key) ?? 0) + 1);
    }
    let g = byZone.get(zone);
    if (!g) byZone.set(zone, (g = { zone, countries: new Set(), ids: [], windows: [] }));
    if (country) g.countries.add(country);
    g.ids.push(r.id);
  }
  return { groups: [...byZone.values()], assumed };
}

function validate(o: PlanOptions, zone: string, hours: OfficeHours): void {
  if (!(Number.isFinite(o.rate) && o.rate > 0)) {
    throw new PlanInputError(
      'rate',
      `must be a positive number of letters per second, got ${o.rate}`,
    );
  }
  if (o.rate > MAX_RATE)
    throw new PlanInputError('rate', `must be at most ${MAX_RATE} letters per second`);
  if (o.quota !== undefined && !(Number.isInteger(o.quota) && o.quota > 0)) {
    throw new PlanInputError(
      'quota',
      `must be a positive whole number of letters per 24 hours, got ${o.quota}`,
    );
  }
  if (Number.isNaN(o.deadline.getTime()))
    throw new PlanInputError('deadline', 'is not a valid date');
  if (Number.isNaN(o.earliestStart.getTime()))
    throw new PlanInputError('start', 'is not a valid date');
  if (!isKnownZone(zone)) throw new PlanInputError('zone', `"${zone}" is not an IANA time zone`);
  if (hours.days.length === 0) throw new PlanInputError('days', 'no working day is left');
}

const iso = (ms: number) => new Date(Math.ceil(ms)).toISOString();

/**
 * Plans a send-out. Always returns a Plan: `feasible` says whether every
 * letter lands in office hours before the deadline; when not, `shortfall`
 * says by how much and what would fix it. Throws PlanInputError only for
 * options it cannot work with (a zero rate, an unknown zone …).
 */
export function planSendOut(recipients: PlanRecipient[], options: PlanOptions): Plan {
  const zone = options.zone ?? 'Europe/Brussels';
  const hours = options.hours ?? DEFAULT_OFFICE_HOURS;
  validate(options, zone, hours);
  const deadline = options.deadline.getTime();
  const start = Math.ceil(options.earliestStart.getTime() / 1000) * 1000;
  // Integral milliseconds, rounded up: the plan never assumes a faster rate than given.
  const interval = Math.ceil(1000 / options.rate);
  const { groups, assumed } = groupRecipients(recipients, zone);
  const from = Math.min(start, deadline - LOOKBACK);
  for (const g of groups) g.windows = officeWindows(g.zone, hours, from, deadline + LOOKAHEAD);

  const run = simulate(groups, interval, options.quota, start, deadline);
  const letters = recipients.length;
  const feasible = run.placed === letters;
  const fits = (iv: number, quota: number | undefined, s: number) =>
    simulate(groups, iv, quota, s, deadline).placed === letters;

  const plan: Plan = {
    feasible,
    letters,
    placed: run.placed,
    deadline: new Date(deadline).toISOString(),
    earliestStart: new Date(start).toISOString(),
    rate: options.rate,
    ...(options.quota !== undefined ? { quota: options.quota } : {}),
    hours,
    zone,
    zones: [],
    assumed: [...assumed].map(([country, n]) => ({ country, letters: n })),
    sends: [],
  };
  if (letters === 0) return plan;

  const latest = latestStart(start, deadline, (s) => fits(interval, options.quota, s));
  if (latest !== undefined) plan.latestStart = new Date(latest).toISOString();

  // Hand each zone's slots to its recipients in list order.
  const next = groups.map(() => 0);
  for (let k = 0; k < run.placed; k++) {
    const z = run.zoneOf[k]!;
    const g = groups[z]!;
    const i = next[z]!;
    next[z] = i + 1;
    plan.sends.push({ recipientId: g.ids[i]!, zone: g.zone, at: iso(run.times[k]!) });
  }
  plan.zones = groups
    .map((g, z) => {
      const mine = plan.sends.filter((s) => s.zone === g.zone);
      return {
        zone: g.zone,
        countries: [...g.countries].sort(),
        letters: g.ids.length,
        missed: g.ids.length - next[z]!,
        ...(mine.length ? { first: mine[0]!.at, last: mine[mine.length - 1]!.at } : {}),
      };
    })
    .sort((a, b) => b.letters - a.letters || a.zone.localeCompare(b.zone));
  if (run.placed) {
    plan.start = iso(run.times[0]!);
    plan.finish = iso(run.times[run.placed - 1]!);
  }
  if (!feasible)
    plan.shortfall = shortfall(
      groups,
      run,
      interval,
      options.quota,
      start,
      deadline,
      letters,
      fits,
    );
  return plan;
}

function shortfall(
  groups: Group[],
  run: Run,
  interval: number,
  quota: number | undefined,
  start: number,
  deadline: number,
  letters: number,
  fits: (iv: number, quota: number | undefined, s: number) => boolean,
): Shortfall {
  const out: Shortfall = { missed: letters - run.placed, closedZones: [] };
  for (const g of groups) {
    if (!g.windows.some((w) => w.close > start && w.open < deadline)) out.closedZones.push(g.zone);
  }
  const unbounded = simulate(groups, interval, quota, start, deadline + LOOKAHEAD);
  if (unbounded.placed === letters) {
    const last = unbounded.times[letters - 1]!;
    out.wouldFinish = iso(last);
    out.lateByMinutes = Math.ceil((last - deadline) / MINUTE);
  }
  const slowest = (q: number | undefined) => {
    // The largest send interval that still fits, by bisection over whole milliseconds.
    if (!fits(1, q, start)) return undefined;
    let lo = 1;
    let hi = interval;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid, q, start)) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  const smallestQuota = (iv: number) => {
    if (quota === undefined || quota >= letters || !fits(iv, undefined, start)) return undefined;
    let lo = quota;
    let hi = letters;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(iv, mid, start)) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const rateOf = (iv: number) => Math.ceil((1000 / iv) * 10000) / 10000;
  const iv = slowest(quota);
  if (iv !== undefined) out.rateNeeded = rateOf(iv);
  const q = smallestQuota(interval);
  if (q !== undefined) out.quotaNeeded = q;
  if (iv === undefined && q === undefined && quota !== undefined) {
    // Neither alone: the slowest rate that fits without a quota, then the quota it needs.
    const both = slowest(undefined);
    const bq = both === undefined ? undefined : smallestQuota(both);
    if (both !== undefined && bq !== undefined)
      out.rateAndQuotaNeeded = { rate: rateOf(both), quota: bq };
  }
  return out;
}

/**
 * The latest start, to the minute, from which every letter still fits; a
 * start after `earliest` when the plan fits with room to spare, before it
 * when it does not fit. Undefined when even the earliest start searched fails.
 */
function latestStart(
  earliest: number,
  deadline: number,
  fits: (s: number) => boolean,
): number | undefined {
  let lo: number;
  let hi: number;
  if (fits(earliest)) {
    lo = earliest;
    hi = deadline;
  } else {
    lo = Math.floor((deadline - LOOKBACK) / MINUTE) * MINUTE;
    hi = earliest;
    if (lo >= hi || !fits(lo)) return undefined;
  }
  while (hi - lo > MINUTE) {
    const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
    if (mid <= lo) break;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
