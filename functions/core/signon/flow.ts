/**
 * Sign-on as operations: a signature submitted from the public page
 * (rate-limited, honeypot, one per address), confirmed from its email
 * (double opt-in), moderated by staff (approve, reject, merge, rename,
 * order), and the approved list locked into the statement when sign-on
 * closes. Pure but for the ports it is given.
 */
import type { Campaign } from '../campaign.js';
import { CampaignStateError, NotFoundError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { CoSign, CoSignatory, Statement } from '../statement.js';
import { ordered } from './list.js';
import { signonForm, newSignatory, type Signatory, type SignonSettings } from './model.js';
import type { SignonStore } from './ports.js';

/**
 * How many submissions an hour the public form takes: from one IP address
 * (a person correcting the form included), through the public link (a whole
 * coalition), and through one organisation's personal link.
 */
export const RATE_LIMITS = { perIp: 10, publicInvite: 500, personalInvite: 5 } as const;
const HOUR = 3600;

export interface SignonDeps {
  signon: SignonStore;
  clock: Clock;
}

/** Whether the form takes signatures now. */
export function isOpen(
  settings: SignonSettings | undefined,
  campaign: Campaign,
  now: Date,
): boolean {
  return (
    !!settings &&
    settings.state === 'open' &&
    campaign.status === 'draft' &&
    Date.parse(settings.closesAt) > now.getTime() &&
    Date.parse(campaign.statement.deadline) > now.getTime()
  );
}

export type SubmitOutcome =
  | { outcome: 'pending'; signatory: Signatory }
  /** The honeypot was filled: the page answers as for a real signature, and nothing is stored or sent. */
  | { outcome: 'trap' }
  | { outcome: 'invalid'; issues: { field: string; message: string }[] }
  | { outcome: 'already' }
  | { outcome: 'limited' }
  | { outcome: 'closed' };

export interface Submission {
  campaign: Campaign;
  settings: SignonSettings | undefined;
  /** `public` or a personal invite's id, from the verified invite token. */
  invite: string;
  /** The form's fields as posted. */
  fields: Record<string, string>;
  /** The honeypot field's value. */
  trap: string;
  language: string;
  /** The consent line as the page showed it. */
  consent: string;
  /** A keyed hash of the caller's IP (never the IP itself). */
  ipKey: string;
  /** The keyed hash of a contact address (its uniqueness marker). */
  emailKey: (email: string) => string;
  newId: string;
  expiresAt: number;
}

/**
 * Takes one submission of the public form. Every request counts against the
 * IP's and the invite's hourly limits first (a refused or invalid one too),
 * so no flood reaches validation, storage or mail beyond them; then the
 * honeypot, the fields, and the one-signature-per-address rule.
 */
export async function submitSignature(deps: SignonDeps, s: Submission): Promise<SubmitOutcome> {
  const now = deps.clock.now();
  if (!isOpen(s.settings, s.campaign, now)) return { outcome: 'closed' };
  const windowEnd = (Math.floor(now.getTime() / 1000 / HOUR) + 1) * HOUR;
  const id = s.campaign.id;
  const [byIp, byInvite] = await Promise.all([
    deps.signon.hit(id, `ip#${s.ipKey}`, windowEnd),
    deps.signon.hit(id, `invite#${s.invite}`, windowEnd),
  ]);
  const inviteLimit = s.invite === 'public' ? RATE_LIMITS.publicInvite : RATE_LIMITS.personalInvite;
  if (byIp > RATE_LIMITS.perIp || byInvite > inviteLimit) return { outcome: 'limited' };
  if (s.trap.trim() !== '') return { outcome: 'trap' };
  const parsed = signonForm.safeParse(s.fields);
  if (!parsed.success)
    return {
      outcome: 'invalid',
      issues: parsed.error.issues.map((i) => ({
        field: String(i.path[0] ?? '(form)'),
        message: i.message,
      })),
    };
  const signatory = newSignatory(id, s.newId, parsed.data, {
    invite: s.invite,
    language: s.language,
    consent: s.consent,
    at: now.toISOString(),
  });
  const added = await deps.signon.addPending(
    signatory,
    s.emailKey(signatory.contactEmail),
    s.expiresAt,
  );
  return added ? { outcome: 'pending', signatory } : { outcome: 'already' };
}

/**
 * The contact's confirmation (a POST from the page their email's link
 * opens): pending → confirmed. A second confirmation changes nothing and
 * says the same; a rejected signature stays rejected.
 */
export async function confirmSignature(
  deps: SignonDeps,
  campaignId: string,
  id: string,
): Promise<Signatory | undefined> {
  const s = await deps.signon.get(campaignId, id);
  if (!s) return undefined;
  if (s.state === 'pending')
    await deps.signon.update(
      campaignId,
      id,
      { state: 'confirmed', confirmedAt: deps.clock.now().toISOString() },
      ['pending'],
    );
  return deps.signon.get(campaignId, id);
}

export type Moderation = 'approve' | 'reject' | 'reopen';

/**
 * A staff decision on one signatory: approve (a confirmed one only: an
 * unconfirmed signature never reaches the letter), reject (any; with
 * `mergeInto` as that one's duplicate), or reopen a rejected one.
 */
export async function moderate(
  deps: SignonDeps,
  campaignId: string,
  id: string,
  action: Moderation,
  by: string,
  mergeInto?: string,
): Promise<Signatory> {
  const s = await deps.signon.get(campaignId, id);
  if (!s) throw new NotFoundError('signatory', id);
  const at = deps.clock.now().toISOString();
  const decided = { decidedAt: at, decidedBy: by };
  let ok: boolean;
  if (action === 'approve') {
    if (s.state !== 'confirmed' && s.state !== 'approved')
      throw new CampaignStateError(
        campaignId,
        `only a confirmed signature can be approved; ${s.displayName} is ${s.state}`,
        { state: s.state },
      );
    ok = await deps.signon.update(campaignId, id, { state: 'approved', ...decided }, [
      'confirmed',
      'approved',
    ]);
  } else if (action === 'reject') {
    if (mergeInto !== undefined) {
      const into = await deps.signon.get(campaignId, mergeInto);
      if (!into || into.id === id || into.state === 'rejected')
        throw new NotFoundError('signatory to merge into', mergeInto);
    }
    ok = await deps.signon.update(campaignId, id, {
      state: 'rejected',
      ...decided,
      ...(mergeInto ? { mergedInto: mergeInto } : {}),
    });
  } else {
    ok = await deps.signon.update(
      campaignId,
      id,
      { state: s.confirmedAt ? 'confirmed' : 'pending', ...decided },
      ['rejected'],
    );
  }
  if (!ok) throw new CampaignStateError(campaignId, 'the signature changed meanwhile; reload');
  return (await deps.signon.get(campaignId, id))!;
}

/** The approved organisations as the letter lists them, in the list's order. */
export function lockedList(signatories: Signatory[]): CoSignatory[] {
  return ordered(signatories.filter((s) => s.state === 'approved')).map((s) => ({
    name: s.displayName,
    ...(s.latin ? { latin: s.latin } : {}),
    country: s.country,
  }));
}

/**
 * The statement with the approved list locked into it (or taken out when
 * none is approved). Same list, same statement: locking twice makes no new
 * version.
 */
export function withLockedList(
  statement: Statement,
  list: CoSignatory[],
  listUrl: string,
): Statement {
  const { cosign: _old, ...rest } = statement;
  if (!list.length) return rest;
  const cosign: CoSign = { signatories: list, listUrl };
  return { ...rest, cosign };
}
