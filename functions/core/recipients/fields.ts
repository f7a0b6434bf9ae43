/**
 * One recipients row, validated with zod. Every message names the field,
 * what was found and what is expected, as a person would say it; a row gets
 * every one of its problems, not only the first.
 */
import { z } from 'zod';
import { hasControl } from '../html.js';
import { closestGroup, type Group, GROUPS, likelyCountryCode, parseGroup } from './values.js';

export const COLUMNS = [
  'email',
  'name',
  'title',
  'organisation',
  'country',
  'language',
  'group',
  'salutation',
  'source',
  'lastVerified',
  'fallbackEmails',
] as const;

/** At most this many fallback addresses per recipient. */
export const MAX_FALLBACKS = 5;
/** RFC 5321 §4.5.3.1: a local part of at most 64 octets, a path of at most 256 (254 for the address). */
export const MAX_LOCAL_PART = 64;
export const MAX_ADDRESS = 254;

const quoted = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** Why a cell is not one line of text, or undefined when it is. */
function controlProblem(s: string): string | undefined {
  if (!hasControl(s)) return undefined;
  if (/[\r\n]/.test(s)) {
    return 'has a line break inside the cell (a value in quotes that runs over several lines, or a quote left open): put it on one line';
  }
  return 'contains a control character: remove it';
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const p = controlProblem(s);
      if (p) ctx.addIssue({ code: 'custom', message: p });
      if (s.includes('\uFFFD'))
        ctx.addIssue({
          code: 'custom',
          message: 'has a character lost in decoding (�): save the file as "CSV UTF-8"',
        });
      if (s.length > max)
        ctx.addIssue({ code: 'custom', message: `is ${s.length} characters; at most ${max}` });
    });
const optionalText = (max: number) => text(max).transform((s) => (s === '' ? undefined : s));

/**
 * Lower-cases and trims an address (and drops a mailto: prefix, for addresses
 * that come from elsewhere than a row); the id of a recipient hangs on this.
 */
export function normaliseEmail(email: string): string {
  return email
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
}

/** zod's address check, built once: building it per row cost a third of reading a large list. */
const EMAIL = z.email();

/**
 * What is wrong with an address, in words, or undefined when it is a usable
 * one. `mailto:` links and `Name <address>` forms are refused, not stripped:
 * the row may have its columns mixed up, and the person should see it.
 */
export function addressProblem(raw: string): string | undefined {
  const s = raw.trim();
  if (s === '') return 'is empty';
  if (/^mailto:/i.test(s)) {
    return `${quoted(s)} is a mailto: link; expected the address alone, such as ${s.replace(/^mailto:/i, '').split('?')[0]}`;
  }
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(s);
  if (named) {
    return `${quoted(s)} has a name with the address; expected the address alone (${named[2]}), with the name in the name column`;
  }
  if (controlProblem(s)) return controlProblem(s);
  const at = s.lastIndexOf('@');
  if (at > 0 && at - 0 > MAX_LOCAL_PART) {
    return `has ${at} characters before the @; at most ${MAX_LOCAL_PART} (RFC 5321)`;
  }
  if (s.length > MAX_ADDRESS)
    return `is ${s.length} characters long; at most ${MAX_ADDRESS} (RFC 5321)`;
  if (!EMAIL.safeParse(s.toLowerCase()).success) {
    return `${quoted(s)} is not an email address; expected one such as minister@mfa.example.org`;
  }
  return undefined;
}

const email = z.string().transform((s, ctx) => {
  const problem = addressProblem(s);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return normaliseEmail(s);
});

export const recipientRowSchema = z.object({
  email,
  name: text(200).refine((s) => s !== '', 'is empty'),
  title: optionalText(100),
  organisation: optionalText(200),
  country: text(60).transform((s, ctx) => {
    if (s === '') return undefined;
    if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
    const code = likelyCountryCode(s);
    ctx.addIssue({
      code: 'custom',
      message: code
        ? `${quoted(s)} must be an ISO 3166 alpha-2 code: ${code}`
        : `${quoted(s)} must be an ISO 3166 alpha-2 code such as FR or DE`,
    });
    return z.NEVER;
  }),
  language: optionalText(10)
    .transform((s) => s?.toLowerCase())
    .refine(
      (s) => s === undefined || /^[a-z]{2,3}(-[a-z]{2})?$/.test(s),
      'must be a language code such as en or fr',
    ),
  group: optionalText(40).transform((s, ctx) => {
    if (s === undefined) return 'other' as Group;
    const g = parseGroup(s);
    if (!g) {
      const near = closestGroup(s);
      ctx.addIssue({
        code: 'custom',
        message: `${quoted(s)} is not one of ${GROUPS.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
      });
      return z.NEVER;
    }
    return g;
  }),
  salutation: optionalText(200),
  source: optionalText(300),
  lastVerified: optionalText(40).transform((s, ctx) => {
    if (s === undefined) return undefined;
    const day = verifiedDay(s);
    if (!day) {
      ctx.addIssue({ code: 'custom', message: `${quoted(s)} must be a date such as 2026-03-01` });
      return z.NEVER;
    }
    // A day later than tomorrow (any zone) is a typo, not a verification.
    if (Date.parse(day) > Date.now() + 2 * 86_400_000) {
      ctx.addIssue({ code: 'custom', message: `is in the future (${day})` });
      return z.NEVER;
    }
    return day;
  }),
  fallbackEmails: optionalText(2000).transform((s, ctx) => fallbackList(s, ctx)),
});
export type RecipientRow = z.infer<typeof recipientRowSchema>;

/**
 * Fallback addresses, separated by `;`, `,` or spaces: each checked like the
 * primary, repeats dropped, at most MAX_FALLBACKS.
 */
function fallbackList(s: string | undefined, ctx: z.RefinementCtx): string[] | undefined {
  if (s === undefined) return undefined;
  const out: string[] = [];
  for (const part of s.split(/[;,\s]+/).filter(Boolean)) {
    const problem = addressProblem(part);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: problem.startsWith('"') ? problem : `${quoted(part)} ${problem}`,
      });
      return z.NEVER;
    }
    const address = normaliseEmail(part);
    if (!out.includes(address)) out.push(address);
  }
  if (out.length > MAX_FALLBACKS) {
    ctx.addIssue({
      code: 'custom',
      message: `has ${out.length} addresses; at most ${MAX_FALLBACKS}`,
    });
    return z.NEVER;
  }
  return out.length ? out : undefined;
}

/** YYYY-MM-DD of a date or an ISO timestamp with a zone; undefined when it is not a real day. */
function verifiedDay(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(s);
  if (!m) return undefined;
  // A real day of the Gregorian calendar, by arithmetic (a Date per row is slow on large lists).
  const year = Number(m[1]);
  const month = Number(m[2]);
  const date = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && date >= 1 && date <= days ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
