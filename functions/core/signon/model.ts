/**
 * Coalition sign-on: member organisations co-sign a draft campaign's
 * statement before it goes out. This file holds the values (the settings of
 * a campaign's sign-on, one signatory's record) and the zod schemas that
 * every input crosses: the public form, the staff API's bodies. Pure: no I/O.
 *
 * Everything a signatory gives is plain text, length-bounded, single-line
 * and free of markup characters' power (it is escaped wherever it is shown);
 * a website must be http(s), an email an address, a country an ISO 3166
 * alpha-2 code (so the letter can name it in each language).
 */
import { z } from 'zod';
import { hasControl } from '../html.js';

/** Who a signatory is, as the form asks it. */
export const ORG_TYPES = [
  'ngo',
  'network',
  'trade-union',
  'foundation',
  'think-tank',
  'media',
  'faith',
  'other',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/**
 * pending: submitted, its email not confirmed (never shown anywhere public);
 * confirmed: the contact confirmed from the email (shown on the sign-on page);
 * approved: the lead campaigner accepted it (in the letter once sign-on closes);
 * rejected: refused (or merged into another as its duplicate).
 */
export const SIGNATORY_STATES = ['pending', 'confirmed', 'approved', 'rejected'] as const;
export type SignatoryState = (typeof SIGNATORY_STATES)[number];

/** The bounds every field is held to, on the form and in the API alike. */
export const LIMITS = {
  name: 200,
  latin: 200,
  website: 300,
  person: 120,
  email: 254,
  displayName: 250,
  note: 500,
} as const;

/** One campaign's sign-on: open or closed, until when, and the key its invite links are signed with. */
export interface SignonSettings {
  campaignId: string;
  state: 'open' | 'closed';
  /** When the form stops taking signatures (ISO); before the campaign's deadline. */
  closesAt: string;
  /**
   * A random key inside every invite token: reopening sign-on with a new key
   * voids every link given out before.
   */
  inviteKey: string;
  openedAt: string;
  openedBy: string;
  closedAt?: string;
  closedBy?: string;
  /** The languages the public page offers (the statement's, where page strings exist). */
  languages: string[];
  /**
   * The public open-letter page (off unless a campaigner turned it on): the
   * statement and its approved signatories, shown once the letters went out.
   */
  openLetter?: { on: boolean; at: string; by: string };
  /** When every approved signatory had been sent its copy of the letter (the tick stops looking). */
  copiesDoneAt?: string;
  /** When every approved signatory had been sent the delivery summary. */
  summaryDoneAt?: string;
}

/** The mails a signatory's contact gets after the send-out: a copy of the letter, then the delivery summary. */
export type AfterSendMail = 'copy' | 'summary';

/** One organisation that asked to co-sign. */
export interface Signatory {
  campaignId: string;
  id: string;
  /** The organisation's name in its own script, as given. */
  name: string;
  /** An optional Latin transliteration, as given. */
  latin?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  orgType: OrgType;
  website?: string;
  contactName: string;
  /** Lower-cased; personal data (erased with the person, expires with the campaign). */
  contactEmail: string;
  /** The consent line the contact ticked, in the words they were shown. */
  consent: string;
  /** The language the form was used in: the confirmation mail and notices use it. */
  language: string;
  state: SignatoryState;
  /** The name the letter shows; the organisation's own name unless staff edited it. */
  displayName: string;
  /** A lead organisation of the statement: listed first. */
  initiator?: boolean;
  /** A place set by staff (lower first); unset ones follow alphabetically. */
  order?: number;
  /** Which invite link it came through: `public` or a personal invite's id. */
  invite: string;
  submittedAt: string;
  confirmedAt?: string;
  /** When the confirmation mail was handed to SES (set once: it is sent once). */
  mailedAt?: string;
  messageId?: string;
  /** Why the confirmation mail could not be sent (staff may send it again). */
  mailError?: string;
  decidedAt?: string;
  decidedBy?: string;
  /** Set when rejected as another signatory's duplicate. */
  mergedInto?: string;
  /** When the contact person's name and address were erased on request (`demarche forget`). */
  contactErasedAt?: string;
  /** When the contact was told their display name was changed. */
  renameNotifiedAt?: string;
  /** After the send-out: when the copy of the letter was claimed (set once), its SES id, or why it failed. */
  copyAt?: string;
  copyMessageId?: string;
  copyError?: string;
  /** After the deadline: the same for the delivery summary. */
  summaryAt?: string;
  summaryMessageId?: string;
  summaryError?: string;
}

const line = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`)
    .refine((v) => !hasControl(v), `${what} has a control character (a line break or similar)`);

const optionalLine = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} is longer than ${max} characters`)
    .refine((v) => !hasControl(v), `${what} has a control character (a line break or similar)`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** An ISO 3166-1 alpha-2 code that Intl knows a name for. */
export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'is not a two-letter country code (ISO 3166)')
  .refine((c) => {
    try {
      const n = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(c);
      return n !== undefined && n !== c;
    } catch {
      return false;
    }
  }, 'is not a country code Intl knows');

const website = z
  .string()
  .trim()
  .max(LIMITS.website, `is longer than ${LIMITS.website} characters`)
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`;
    try {
      const u = new URL(withScheme);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
      if (!u.hostname.includes('.')) throw new Error('host');
      return u.toString();
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a web address (https://…)' });
      return z.NEVER;
    }
  });

/** What the public form submits (strings only: it is a plain HTML form). */
export const signonForm = z.strictObject({
  name: line(LIMITS.name, 'the organisation’s name'),
  latin: optionalLine(LIMITS.latin, 'the Latin transliteration'),
  country: countryCode,
  type: z.enum(ORG_TYPES, 'is not one of the types offered'),
  website,
  contactName: line(LIMITS.person, 'the contact person’s name'),
  contactEmail: z
    .string()
    .trim()
    .toLowerCase()
    .max(LIMITS.email)
    .pipe(z.email('is not an email address')),
  consent: z.literal('yes', 'must be ticked: we need your consent to keep the contact'),
});
export type SignonForm = z.output<typeof signonForm>;

/** The staff API's body to open (or reopen) sign-on. */
export const openBody = z.strictObject({
  closesAt: z.iso.datetime({ offset: true, message: 'is not an ISO 8601 date-time with a zone' }),
  /** Start over with a new invite key: every link given out before stops working. */
  newKey: z.boolean().default(false),
});

/** The staff API's body turning the public open-letter page on or off. */
export const openLetterBody = z.strictObject({ on: z.boolean('is not true or false') });

/** The staff API's body of one moderation step. */
export const moderateBody = z.strictObject({
  action: z.enum(['approve', 'reject', 'reopen']),
  /** The duplicate this one is merged into (reject only). */
  mergeInto: z.string().max(64).optional(),
});

export const editBody = z
  .strictObject({
    displayName: line(LIMITS.displayName, 'the display name').optional(),
    initiator: z.boolean().optional(),
    order: z.number().int().min(0).max(100_000).nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to change: give displayName, initiator or order',
    path: ['(whole)'],
  });

/** Where a campaign's sign-on can be opened: a draft, before its deadline. */
export function closingTimeProblem(
  closesAt: string,
  deadline: string,
  now: Date,
): string | undefined {
  const at = Date.parse(closesAt);
  if (!(at > now.getTime())) return 'the closing time has already passed';
  if (!(at < Date.parse(deadline)))
    return `sign-on must close before the campaign's deadline (${deadline})`;
  return undefined;
}

/** The record a valid form makes (state pending, display name its own name). */
export function newSignatory(
  campaignId: string,
  id: string,
  form: SignonForm,
  context: { invite: string; language: string; consent: string; at: string },
): Signatory {
  return {
    campaignId,
    id,
    name: form.name,
    ...(form.latin && form.latin !== form.name ? { latin: form.latin } : {}),
    country: form.country,
    orgType: form.type,
    ...(form.website ? { website: form.website } : {}),
    contactName: form.contactName,
    contactEmail: form.contactEmail,
    consent: context.consent,
    language: context.language,
    state: 'pending',
    displayName: form.name,
    invite: context.invite,
    submittedAt: context.at,
  };
}
