/**
 * Times as staff read them: always with the zone they are in ("14 Dec 2026,
 * 09:00 Brussels"), never in the browser's zone without a word. Pure (Intl
 * only), so the unit tests run it in Node as the page runs it in a browser.
 */

/** The zone of the ministers' meetings demarche serves, and of a campaign that names none. */
export const DEFAULT_ZONE = 'Europe/Brussels';

/** "Brussels" for Europe/Brussels, "New York" for America/New_York, "UTC" for UTC. */
export function zoneCity(zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 'UTC';
  return (zone.split('/').pop() ?? zone).replace(/_/g, ' ');
}

/** Whether Intl knows the zone (a stored preference may name one this browser does not). */
export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, weekday: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${weekday}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      ...(weekday ? { weekday: 'short' } : {}),
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * "14 Dec 2026, 09:00 Brussels" (with `weekday`: "Mon 14 Dec 2026, 09:00
 * Brussels"); empty for no time, the input itself for a value that is not one.
 */
export function formatWhen(
  at: string | number | undefined,
  zone: string,
  opts: { weekday?: boolean } = {},
): string {
  if (at === undefined || at === '') return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const text = formatter(zone, opts.weekday ?? false)
    .format(d)
    .replace(/^(\w{3}),? /, '$1 ');
  return `${text} ${zoneCity(zone)}`;
}

/** "3 d 4 h", "5 h 12 min", "12 min": a duration in the two largest units that matter. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  return `${m} min`;
}

/** "6 d 3 h 12 min 5 s until the deadline", or that it has passed. */
export function countdown(deadline: string, now: number): string {
  const ms = Date.parse(deadline) - now;
  if (!(ms > 0)) return 'The deadline has passed.';
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${d} d ${h} h ${m} min ${s} s until the deadline`;
}

/**
 * The value of an <input type="datetime-local"> read as a wall-clock time in
 * `zone` (not the browser's), as an ISO instant; undefined when empty or not
 * a time. Found by correcting the UTC reading with the zone's offset at that
 * instant (twice, so a time near a daylight-saving change lands right).
 */
export function localInputToIso(value: string, zone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let t = wall;
  for (let i = 0; i < 2; i++) t = wall - offsetMs(t, zone);
  return new Date(t).toISOString();
}

/** How far `zone` is ahead of UTC at instant `t`, in ms. */
function offsetMs(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(t / 1000) * 1000;
}
