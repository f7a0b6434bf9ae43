/**
 * What the staff API shows, computed from stored values without I/O: the
 * funnel from the counter items, splits and the time series from a bounded
 * stream of recipient items, and the CSV export.
 */
import type { Campaign, CampaignRecipient, Counters } from '../core/campaign.js';
import { reached, stepAt, type EngagementStep } from '../core/engagement.js';
import { tracks, type TrackingPolicy } from '../core/events/tracking.js';
import {
  deliveryWords,
  type DeliveryFacts,
} from '../../templates/dashboard/src/format/delivery.js';

export interface Funnel {
  recipients: number;
  sent: number;
  delivered: number;
  /** People, not machines: Apple MPP, image proxies and scanners are counted apart. */
  opened: number;
  openedMachine: number;
  clicked: number;
  replied: number;
  bounced: number;
  bouncedHard: number;
  bouncedSoft: number;
  complained: number;
  failed: number;
  suppressed: number;
  expired: number;
  unknown: number;
  unsubscribed: number;
}

/** The funnel from the counters alone: the same cost for 100 recipients as for 100,000. */
export function funnel(campaign: Campaign, c: Counters): Funnel {
  return {
    recipients: campaign.recipientCount,
    sent: c.sent,
    delivered: c.delivered,
    opened: c.openedUnique,
    openedMachine: c.openedMachine,
    clicked: c.clickedUnique,
    replied: c.replied,
    bounced: c.bouncedHard + c.bouncedSoft,
    bouncedHard: c.bouncedHard,
    bouncedSoft: c.bouncedSoft,
    complained: c.complained,
    failed: c.failed,
    suppressed: c.suppressed,
    expired: c.expired,
    unknown: c.unknown,
    unsubscribed: c.unsubscribed,
  };
}

export const SPLIT_STEPS = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'replied',
  'bounced',
  'complained',
] as const;
export type SplitRow = { key: string; recipients: number } & Record<
  (typeof SPLIT_STEPS)[number],
  number
>;

/** Accumulates per-group and per-country rows while recipients stream past. */
export class SplitBuilder {
  private readonly groups = new Map<string, SplitRow>();
  private readonly countries = new Map<string, SplitRow>();
  scanned = 0;

  add(r: CampaignRecipient): void {
    this.scanned++;
    for (const [map, key] of [
      [this.groups, r.group ?? 'other'],
      [this.countries, r.country ?? '—'],
    ] as const) {
      let row = map.get(key);
      if (!row) {
        row = {
          key,
          recipients: 0,
          ...Object.fromEntries(SPLIT_STEPS.map((s) => [s, 0])),
        } as SplitRow;
        map.set(key, row);
      }
      row.recipients++;
      if (r.sentAt || r.state === 'sent') row.sent++;
      for (const s of SPLIT_STEPS) if (s !== 'sent' && reached(r, s as EngagementStep)) row[s]++;
    }
  }

  result() {
    const sorted = (m: Map<string, SplitRow>) =>
      [...m.values()].sort((a, b) => b.recipients - a.recipients || a.key.localeCompare(b.key));
    return { byGroup: sorted(this.groups), byCountry: sorted(this.countries) };
  }
}

const SERIES = ['sent', 'delivered', 'opened', 'replied'] as const;

/** Cumulative counts over time, in `buckets` equal steps from launch to the deadline (or now, if earlier). */
export class SeriesBuilder {
  private readonly times: Record<(typeof SERIES)[number], number[]> = {
    sent: [],
    delivered: [],
    opened: [],
    replied: [],
  };

  add(r: CampaignRecipient): void {
    const at = (s: string | undefined) => (s ? Date.parse(s) : NaN);
    const push = (k: (typeof SERIES)[number], t: number) => {
      if (!Number.isNaN(t)) this.times[k].push(t);
    };
    push('sent', at(r.sentAt));
    push('delivered', at(stepAt(r, 'delivered')));
    push('opened', at(stepAt(r, 'opened')));
    push('replied', at(stepAt(r, 'replied')));
  }

  result(campaign: Campaign, now: Date, buckets = 60) {
    const start = Date.parse(campaign.launchedAt ?? campaign.createdAt);
    const deadline = Date.parse(campaign.statement.deadline);
    const end = Math.max(start + 60_000, Math.min(now.getTime(), deadline));
    const step = (end - start) / buckets;
    const t: number[] = [];
    for (let i = 0; i <= buckets; i++) t.push(Math.round((start + i * step) / 1000));
    const series = Object.fromEntries(
      SERIES.map((k) => {
        const sorted = [...this.times[k]].sort((a, b) => a - b);
        let j = 0;
        return [
          k,
          t.map((sec) => {
            while (j < sorted.length && sorted[j]! <= sec * 1000) j++;
            return j;
          }),
        ];
      }),
    );
    return { t, ...series, deadline: Math.round(deadline / 1000) };
  }
}

export const CSV_COLUMNS = [
  'email',
  'name',
  'title',
  'organisation',
  'country',
  'language',
  'group',
  'state',
  'sentAt',
  'deliveredAt',
  'openedAt',
  'clickedAt',
  'repliedAt',
  'replyMatch',
  'bouncedAt',
  'deliveryState',
  'failure',
  'messageId',
  // The dashboard's own columns: the delivery in words, opens as "not tracked"
  // where the group's letters carry no pixel, the recipient's unsubscribe.
  'delivery',
  'deliveryReason',
  'heldUntil',
  'fallbackAddress',
  'opened',
  'unsubscribed',
  'unsubscribedAt',
] as const;

/**
 * One CSV cell: quoted when needed, and a value a spreadsheet would run as a
 * formula (=, +, -, @, tab, CR) is prefixed with an apostrophe (CSV injection).
 */
export function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * How the recipient's reply was matched, for the export: `strong` (token or
 * Message-ID), `confirmed by …` (a weak match staff confirmed), `weak
 * (unconfirmed, not counted)` (sender address only), or empty.
 */
function replyMatchOf(r: CampaignRecipient): string {
  const item = r as unknown as Record<string, unknown>;
  if (typeof item.replyConfirmedBy === 'string') return `confirmed by ${item.replyConfirmedBy}`;
  if (stepAt(r, 'replied')) return 'strong';
  if (typeof item.weakReplyAt === 'string') return 'weak (unconfirmed, not counted)';
  return '';
}

/** What a recipient's latest choice is: every letter, this campaign's follow-ups, or nothing. */
function unsubscribedOf(r: CampaignRecipient): string {
  const item = r as unknown as { choice?: { scope?: string }; unsubscribedAt?: string };
  const scope = item.choice ? item.choice.scope : item.unsubscribedAt ? 'all' : 'none';
  return scope === 'all' ? 'all letters' : scope === 'followups' ? 'follow-ups' : '';
}

export function csvRow(r: CampaignRecipient, tracking?: TrackingPolicy): string {
  const item = r as unknown as Record<string, unknown>;
  const opensTracked = tracks(tracking, r.group, 'opens');
  const opened = stepAt(r, 'opened');
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    email: r.email,
    name: r.name,
    title: r.title,
    organisation: r.organisation,
    country: r.country,
    language: r.language,
    group: r.group,
    state: r.state,
    sentAt: r.sentAt,
    deliveredAt: stepAt(r, 'delivered'),
    openedAt: stepAt(r, 'opened'),
    clickedAt: stepAt(r, 'clicked'),
    repliedAt: stepAt(r, 'replied'),
    replyMatch: replyMatchOf(r),
    bouncedAt: stepAt(r, 'bounced'),
    deliveryState: (r as unknown as Record<string, unknown>).deliveryState,
    failure: r.failure,
    messageId: r.messageId,
    delivery: deliveryWords(r as DeliveryFacts, (iso) => iso),
    deliveryReason: item.deliveryReason,
    heldUntil: r.state === 'held' ? r.holdUntil : undefined,
    fallbackAddress: r.attempt ? r.attempt : undefined,
    opened: !opensTracked ? 'not tracked' : opened ? 'yes' : 'no',
    unsubscribed: unsubscribedOf(r),
    unsubscribedAt: item.unsubscribedAt,
  };
  return CSV_COLUMNS.map((c) => csvCell(values[c])).join(',');
}
