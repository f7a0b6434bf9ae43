/**
 * The front matter a campaigner writes, validated with zod. Keys may be
 * written in camelCase (`replyToDomain`) or snake_case / kebab-case
 * (`reply_to_domain`, `reply-to-domain`); an unknown key is a warning naming
 * the closest known one, not an error, so a typo shows without blocking.
 */
import { z } from 'zod';
import { hasControl } from '../html.js';
import { GROUPS } from '../recipients/values.js';
import { isKnownZone, zoneOffsetMinutes, writtenOffsetMinutes } from '../deadline-words.js';
import { closest } from '../suggest.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const noControl = (s: string) => !hasControl(s);
export const singleLine = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  .refine(noControl, 'must be a single line without control characters');

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain name such as replies.example.org',
  );

const address = z.email('must be an email address such as staff@coalition.example.org');

/** "Name <address>" or { name, address }; a message that shows what was found otherwise. */
export const fromSchema = z.unknown().transform((v, ctx) => {
  const found = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null);
  const refuse = (why: string, path: string[] = []) => {
    ctx.addIssue({
      code: 'custom',
      message: `must be "Name <address@example.org>" or {name, address}; ${why}`,
      input: v,
      path,
    });
    return z.NEVER;
  };
  if (v === undefined) {
    ctx.addIssue({ code: 'invalid_type', expected: 'string', message: 'is required', input: v });
    return z.NEVER;
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = z.object({ name: singleLine, address: z.email() }).safeParse(v);
    if (o.success) return o.data;
    const field = String(o.error.issues[0]?.path[0] ?? 'address');
    return refuse(`its ${field} is not valid (found ${found.slice(0, 120)})`, [field]);
  }
  if (typeof v !== 'string' || hasControl(v)) return refuse(`found ${found.slice(0, 120)}`);
  const s = v.trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(s);
  if (!m && z.email().safeParse(s).success) {
    return refuse(`found ${found}: give the sender's name too, "Coalition name <${s}>"`);
  }
  if (!m || !z.email().safeParse(m[2]).success) {
    return refuse(`found ${found.slice(0, 120)}, which has no email address in <…>`);
  }
  return { name: m[1]!.replace(/^"|"$/g, '') || m[2]!, address: m[2]! };
});

const signatorySchema = z.union([
  singleLine.transform((name) => ({ name })),
  z.object({ name: singleLine, organisation: singleLine.optional() }),
]);

const switches = z.strictObject({ opens: z.boolean().optional(), clicks: z.boolean().optional() });

/** The campaign's tracking switches (docs/tracking.md): `{ opens, clicks, groups: { ngo: { opens } } }`. */
export const trackingSchema = z.strictObject({
  opens: z.boolean().optional(),
  clicks: z.boolean().optional(),
  groups: z
    .record(z.string(), switches)
    .superRefine((groups, ctx) => {
      for (const g of Object.keys(groups)) {
        if (!(GROUPS as readonly string[]).includes(g)) {
          const near = closest(g, GROUPS);
          ctx.addIssue({
            code: 'custom',
            path: [g],
            message: `${JSON.stringify(g)} is not a group (${GROUPS.join(', ')})${near ? `; did you mean ${near}?` : ''}`,
          });
        }
      }
    })
    .optional(),
});

/** The front matter, as written by a campaigner. */
export const frontMatterSchema = z
  .object({
    title: singleLine,
    subject: singleLine,
    from: fromSchema,
    replyToDomain: domain,
    meeting: singleLine.optional(),
    deadline: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .regex(ISO_WITH_ZONE, {
        message: 'must be an ISO 8601 date-time with a zone, e.g. 2027-03-17T09:00:00+01:00',
        abort: true,
      })
      .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date-time'),
    language: z
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as en, fr or pt-BR'),
    signatories: z.array(signatorySchema).min(1, 'must name at least one signatory'),
    postalAddress: singleLine.optional(),
    /** Where people's replies are forwarded (docs/replies.md). */
    staffAddress: z.string().trim().pipe(address).optional(),
    tracking: trackingSchema.optional(),
    /** The meeting's zone (Europe/Brussels): the letter names the deadline's clock by it. */
    zone: z
      .string()
      .trim()
      .refine(isKnownZone, 'must be a time zone such as Europe/Brussels or Europe/Lisbon')
      .optional(),
  })
  .superRefine((fm, ctx) => {
    // A zone that gives the deadline another hour than written would have the letter say a wrong time.
    // A deadline in UTC ("Z") names no local clock: the letter shows it on the zone's.
    if (!fm.zone || !isKnownZone(fm.zone) || !ISO_WITH_ZONE.test(fm.deadline)) return;
    if (fm.deadline.endsWith('Z')) return;
    const ms = Date.parse(fm.deadline);
    const written = writtenOffsetMinutes(fm.deadline);
    const actual = zoneOffsetMinutes(fm.zone, ms);
    if (written !== undefined && !Number.isNaN(ms) && written !== actual) {
      const sign = actual < 0 ? '-' : '+';
      const hhmm = `${String(Math.floor(Math.abs(actual) / 60)).padStart(2, '0')}:${String(Math.abs(actual) % 60).padStart(2, '0')}`;
      ctx.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: `is written at UTC${fm.deadline.slice(-6).replace(/^.*Z$/, '+00:00')}, but ${fm.zone} is at UTC${sign}${hhmm} on that day: write the deadline with ${sign}${hhmm} or change the zone`,
      });
    }
  });

export const FRONT_MATTER_KEYS = Object.keys(frontMatterSchema.shape);

/** `reply_to_domain`, `reply-to-domain`, `ReplyToDomain` → `replyToDomain`; unknown keys as written. */
export function canonicalKey(key: string): string {
  const camel = key.trim().replace(/[_-]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
  const lower = camel.toLowerCase();
  return FRONT_MATTER_KEYS.find((k) => k.toLowerCase() === lower) ?? key;
}

/** The known key closest to an unknown one, for "did you mean …?". */
export function closestKey(key: string): string | undefined {
  const flat = (s: string) => s.toLowerCase().replace(/[_\s-]+/g, '');
  const byFlat = new Map(FRONT_MATTER_KEYS.map((k) => [flat(k), k]));
  return closest(flat(key), [...byFlat.keys()], (k) => byFlat.get(k)!);
}
