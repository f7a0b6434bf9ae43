/**
 * Wall-clock arithmetic in IANA zones with nothing but Intl (Node's ICU
 * carries the zone rules, DST included): a zone's local date and time of an
 * instant, the instant of a local time, and a zone's office-hour windows
 * between two instants.
 */
import { PlanInputError } from './errors.js';

/** Office hours: minutes after local midnight [start, end), on the listed weekdays (0 Sunday … 6 Saturday). */
export interface OfficeHours {
  start: number;
  end: number;
  days: number[];
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  start: 8 * 60,
  end: 18 * 60,
  days: [1, 2, 3, 4, 5],
};

/** One stretch of office hours, as epoch milliseconds [open, close). */
export interface Window {
  open: number;
  close: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 Sunday … 6 Saturday. */
  weekday: number;
}

/** The local date and time in `zone` of the instant `ms`. */
export function localTime(zone: string, ms: number): LocalTime {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = p;
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The zone's offset from UTC at `ms`, in milliseconds (positive east of Greenwich). */
export function zoneOffset(zone: string, ms: number): number {
  const l = localTime(zone, ms);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which the clock in `zone` shows the given local date and
 * minute of the day. A time that does not exist (skipped by a DST change)
 * is moved forward by the length of the skip (02:30 on a spring-forward night
 * becomes 03:30, as Temporal's "compatible" does); a time that occurs twice
 * maps to its first occurrence.
 */
export function instantOf(
  zone: string,
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
): number {
  const guess = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const before = zoneOffset(zone, guess - DAY / 2);
  const after = zoneOffset(zone, guess + DAY / 2);
  // The earlier offset first: of two occurrences, the first one.
  for (const offset of [before, after]) {
    const t = guess - offset;
    if (zoneOffset(zone, t) === offset) return t;
  }
  // In a gap neither offset reads back; the offset before the skip moves the time forward.
  return guess - before;
}

/**
 * The zone's office-hour windows that overlap [from, to), clipped to it, in
 * time order. Each local calendar day is computed on its own, so a DST
 * change moves the windows by the hour it should.
 */
export function officeWindows(
  zone: string,
  hours: OfficeHours,
  from: number,
  to: number,
): Window[] {
  const out: Window[] = [];
  const first = localTime(zone, from - DAY);
  for (let i = 0; ; i++) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    const open = instantOf(zone, y, m, d, hours.start);
    if (open >= to) break;
    if (!hours.days.includes(date.getUTCDay())) continue;
    const close = instantOf(zone, y, m, d, hours.end);
    const o = Math.max(open, from);
    const c = Math.min(close, to);
    if (c > o) out.push({ open: o, close: c });
  }
  return out;
}

/** True when `ms` lies inside the zone's office hours. */
export function inOfficeHours(zone: string, hours: OfficeHours, ms: number): boolean {
  const l = localTime(zone, ms);
  const minute = l.hour * 60 + l.minute;
  return hours.days.includes(l.weekday) && minute >= hours.start && minute < hours.end;
}

/**
 * The first instant at or after `ms` inside the zone's office hours (`ms`
 * itself when the office is open): what a sender waits for.
 */
export function nextOfficeTime(zone: string, hours: OfficeHours, ms: number): number {
  const w = officeWindows(zone, hours, ms, ms + 15 * DAY)[0];
  if (!w) throw new PlanInputError('hours', 'the office hours have no working day');
  return w.open;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function minutesOf(hm: string, field: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm.trim());
  const h = m ? Number(m[1]) : NaN;
  const mi = m ? Number(m[2]) : NaN;
  if (!m || h > 24 || mi > 59 || (h === 24 && mi > 0)) {
    throw new PlanInputError(field, `"${hm}" is not a time of day such as 08:00`);
  }
  return h * 60 + mi;
}

/**
 * Reads office hours as a campaigner writes them: a window "08:00-18:00" and
 * days "mon-fri" (or a list "mon,tue,thu"). Refuses a window that ends
 * before it starts (overnight windows are not office hours).
 */
export function parseOfficeHours(window = '08:00-18:00', days = 'mon-fri'): OfficeHours {
  const parts = window.split('-');
  if (parts.length !== 2) {
    throw new PlanInputError('window', `"${window}" is not a window such as 08:00-18:00`);
  }
  const start = minutesOf(parts[0]!, 'window');
  const end = minutesOf(parts[1]!, 'window');
  if (end <= start) {
    throw new PlanInputError('window', `"${window}" ends before it starts`);
  }
  const dayIndex = (name: string) => {
    const i = DAY_NAMES.indexOf(name.trim().toLowerCase().slice(0, 3));
    if (i < 0 || name.trim().length < 3) {
      throw new PlanInputError('days', `"${name.trim()}" is not a weekday (mon … sun)`);
    }
    return i;
  };
  const set = new Set<number>();
  for (const item of days.split(',')) {
    const range = item.split('-');
    if (range.length === 2) {
      const a = dayIndex(range[0]!);
      const b = dayIndex(range[1]!);
      for (let i = a; ; i = (i + 1) % 7) {
        set.add(i);
        if (i === b) break;
      }
    } else if (range.length === 1) set.add(dayIndex(item));
    else throw new PlanInputError('days', `"${item}" is not a day or a range such as mon-fri`);
  }
  return { start, end, days: [...set].sort((a, b) => a - b) };
}

/** "Wed 27 Jan 08:00" in `zone`: how the plan names times to a campaigner. */
export function formatLocal(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(ms))
    .replace(',', '');
}

/** "Brussels time" for Europe/Brussels. */
export function zoneLabel(zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  return `${(zone.split('/').pop() ?? zone).replace(/_/g, ' ')} time`;
}
