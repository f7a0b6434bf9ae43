/**
 * The proof-of-delivery report as data: what a coalition can cite at the
 * meeting. Built from what is stored (the campaign, its counters, each
 * recipient's record, the replies); pure, so the page it becomes can be
 * tested without services.
 */
import type { Campaign, CampaignRecipient, Counters } from '../campaign.js';
import { stepAt } from '../engagement.js';
import { GROUPS, type Group } from '../recipients.js';
import { trackingFor } from '../tracking.js';
import type { Reply } from '../replies/types.js';
import { matchLabel } from '../replies/effects.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country's English name ("France") from its ISO code; the code itself when Intl does not know it. */
export function countryName(code: string): string {
  if (!code) return 'Country not given';
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** What the report shows of one reply. */
export interface ReportReply {
  receivedAt: string;
  kind: Reply['kind'];
  from?: string;
  subject?: string;
  /** The new text (quoted letter removed); shown for replies from a person. */
  text: string;
  truncated?: boolean;
  /** How sure the match is: only `strong` and `confirmed` replies count; `weak` ones are marked. */
  match: 'strong' | 'weak' | 'confirmed';
  /** The match in words (matchLabel), shown beside weak and confirmed replies. */
  matchLabel: string;
}

export interface ReportRow {
  id: string;
  name: string;
  title?: string;
  organisation?: string;
  email: string;
  /** Where the letter is: sent, failed, expired, suppressed, pending … */
  state: CampaignRecipient['state'];
  /** Delivery as SES reported it (delivered, bouncedHard …), when it did. */
  deliveryState?: string;
  sentAt?: string;
  deliveredAt?: string;
  /** First open by a person (machine opens are not counted). */
  openedAt?: string;
  /** False when the letter carried no open pixel (officials, by default): opens are unknown. */
  opensTracked: boolean;
  repliedAt?: string;
  failure?: string;
  /** The content hash of the approved version this letter was sent from. */
  versionHash?: string;
  /** The directory target the letter was taken from, when it was. */
  targetId?: string;
  replies: ReportReply[];
  /** How this recipient answered earlier letters (other campaigns), when the directory knows. */
  history?: ReplyHistory;
}

/** Earlier letters (other campaigns) and how they were answered: the directory's history. */
export interface ReplyHistory {
  letters: number;
  humanReplies: number;
  /** Median hours from sending to the first human reply. */
  medianHoursToReply?: number;
}

export interface ReportCountry {
  /** ISO code, or '' when the row had none. */
  country: string;
  rows: ReportRow[];
}

export interface ReportGroup {
  group: Group;
  letters: number;
  countries: ReportCountry[];
  /** How recipients of this group answered earlier letters. */
  history?: ReplyHistory;
}

export interface ReportSummary {
  recipients: number;
  sent: number;
  delivered: number;
  bounced: number;
  openedByPerson: number;
  replied: number;
  failed: number;
  expired: number;
  suppressed: number;
  unknown: number;
  complained: number;
  /**
   * Delivered letters that carried an open pixel: what "opened by a person"
   * is a share of (a letter without one can never show as opened).
   */
  deliveredTracked: number;
  /** Recipients whose latest choice is to stop every letter, or this campaign's follow-ups. */
  unsubscribed: number;
  unsubscribedFollowUps: number;
}

/** A follow-up of the reported campaign: what it asked, of whom, and how far it went. */
export interface ReportFollowUp {
  id: string;
  subject: string;
  audience?: string;
  status: Campaign['status'];
  scheduledAt?: string;
  launchedAt?: string;
  recipients: number;
  sent: number;
  replied: number;
}

export interface ReportModel {
  campaign: Campaign;
  summary: ReportSummary;
  /** The follow-ups written for this campaign, oldest first. */
  followUps: ReportFollowUp[];
  /** First and last letter sent, read off the recipients. */
  firstSentAt?: string;
  lastSentAt?: string;
  groups: ReportGroup[];
  /** Replies that arrived but could not be tied to a recipient row of this report. */
  unattachedReplies: number;
  generatedAt: string;
}

/** The campaign's summary figures, from its counters (never from counting rows). */
export function summaryOf(
  campaign: Campaign,
  c: Counters,
  deliveredTracked = c.delivered,
): ReportSummary {
  return {
    recipients: campaign.recipientCount,
    sent: c.sent,
    delivered: c.delivered,
    bounced: c.bouncedHard + c.bouncedSoft,
    openedByPerson: c.openedUnique,
    replied: c.replied,
    failed: c.failed + c.rejected,
    expired: c.expired,
    suppressed: c.suppressed,
    unknown: c.unknown,
    complained: c.complained,
    deliveredTracked,
    unsubscribed: c.unsubscribed,
    unsubscribedFollowUps: c.unsubscribedFollowUps,
  };
}

function toReply(r: Reply): ReportReply {
  return {
    receivedAt: r.receivedAt,
    kind: r.kind,
    ...(r.from
      ? { from: r.from.name ? `${r.from.name} <${r.from.address}>` : r.from.address }
      : {}),
    ...(r.subject ? { subject: r.subject } : {}),
    text: r.text,
    ...(r.truncated ? { truncated: true } : {}),
    match: r.match.strength === 'strong' ? 'strong' : r.match.confirmedBy ? 'confirmed' : 'weak',
    matchLabel: matchLabel(r),
  };
}

function rowOf(r: CampaignRecipient, replies: ReportReply[], opensTracked: boolean): ReportRow {
  const item = r as unknown as Record<string, unknown>;
  const opt = <K extends string>(k: K, v: unknown) =>
    typeof v === 'string' && v ? ({ [k]: v } as Record<K, string>) : {};
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    state: r.state,
    opensTracked,
    ...opt('title', r.title),
    ...opt('organisation', r.organisation),
    ...opt('deliveryState', item.deliveryState),
    ...opt('sentAt', r.sentAt),
    ...opt('deliveredAt', stepAt(r, 'delivered')),
    ...opt('openedAt', stepAt(r, 'opened')),
    ...opt('repliedAt', stepAt(r, 'replied')),
    ...opt('failure', r.failure),
    ...opt('versionHash', r.versionHash),
    ...opt('targetId', item.targetId),
    replies: replies.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
  };
}

/**
 * Groups recipients by institution type (in the fixed order ministers, EU
 * institutions, NGOs, other), then by country (by English name, none last),
 * then by organisation and name, and attaches each reply to its recipient.
 */
export function buildReport(input: {
  campaign: Campaign;
  counters: Counters;
  recipients: Iterable<CampaignRecipient>;
  replies: Iterable<Reply>;
  generatedAt: Date;
  followUps?: ReportFollowUp[];
}): ReportModel {
  const byRecipient = new Map<string, ReportReply[]>();
  let unattached = 0;
  for (const reply of input.replies) {
    if (!reply.recipientId) {
      unattached++;
      continue;
    }
    const list = byRecipient.get(reply.recipientId) ?? [];
    list.push(toReply(reply));
    byRecipient.set(reply.recipientId, list);
  }
  const groups = new Map<Group, Map<string, ReportRow[]>>();
  let first: string | undefined;
  let last: string | undefined;
  const attached = new Set<string>();
  let deliveredTracked = 0;
  for (const r of input.recipients) {
    const tracked = trackingFor(input.campaign.tracking, r.group).opens;
    const row = rowOf(r, byRecipient.get(r.id) ?? [], tracked);
    if (tracked && stepAt(r, 'delivered')) deliveredTracked++;
    if (byRecipient.has(r.id)) attached.add(r.id);
    if (row.sentAt) {
      if (!first || row.sentAt < first) first = row.sentAt;
      if (!last || row.sentAt > last) last = row.sentAt;
    }
    const countries = groups.get(r.group) ?? new Map<string, ReportRow[]>();
    groups.set(r.group, countries);
    const country = r.country ?? '';
    countries.set(country, [...(countries.get(country) ?? []), row]);
  }
  for (const id of byRecipient.keys())
    if (!attached.has(id)) unattached += byRecipient.get(id)!.length;
  const byName = (a: ReportRow, b: ReportRow) =>
    (a.organisation ?? '').localeCompare(b.organisation ?? '') || a.name.localeCompare(b.name);
  const countryOrder = (a: string, b: string) =>
    a === '' ? 1 : b === '' ? -1 : countryName(a).localeCompare(countryName(b), 'en');
  return {
    campaign: input.campaign,
    summary: summaryOf(input.campaign, input.counters, deliveredTracked),
    followUps: input.followUps ?? [],
    ...(first ? { firstSentAt: first } : {}),
    ...(last ? { lastSentAt: last } : {}),
    groups: GROUPS.filter((g) => groups.has(g)).map((group) => {
      const countries = [...groups.get(group)!.entries()]
        .sort(([a], [b]) => countryOrder(a, b))
        .map(([country, rows]) => ({ country, rows: rows.sort(byName) }));
      return { group, letters: countries.reduce((n, c) => n + c.rows.length, 0), countries };
    }),
    unattachedReplies: unattached,
    generatedAt: input.generatedAt.toISOString(),
  };
}
