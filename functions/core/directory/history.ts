/**
 * What the directory learns from campaigns: every letter a target was sent
 * (its delivery, opens by people, replies with their class and how long the
 * first human one took), and, across targets, how responsive each
 * institution type, country and group is: letters delivered, human
 * replies, the median time to the first human reply, auto-acknowledgements.
 * Pure: the API streams campaigns' recipients and replies through these.
 */
import type { CampaignHead, CampaignRecipient } from '../campaign.js';
import { stepAt } from '../engagement.js';
import type { Reply } from '../replies/types.js';
import type { Target } from './model.js';

export interface LetterReply {
  id: string;
  kind: Reply['kind'];
  receivedAt: string;
  /** Hours from the letter's sending to this reply. */
  afterHours?: number;
  counted: boolean;
}

export interface TargetLetter {
  campaignId: string;
  title: string;
  /** The address this letter went to (the primary then, or a fallback). */
  email: string;
  sentAt?: string;
  state: CampaignRecipient['state'];
  /** delivered, bounced (hard), complained … or the sending state when no event came. */
  delivery: string;
  openedAt?: string;
  repliedAt?: string;
  replies: LetterReply[];
  /** Hours to the first human reply that counts. */
  firstReplyHours?: number;
}

const hours = (from: string | undefined, to: string | undefined) =>
  from && to ? Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 10) / 10 : undefined;

/** One letter of a target's history, from its campaign, its recipient record and that recipient's replies. */
export function targetLetter(
  campaign: Pick<CampaignHead, 'id' | 'statement'>,
  r: CampaignRecipient,
  replies: readonly Reply[],
): TargetLetter {
  const deliveryState = (r as unknown as Record<string, unknown>).deliveryState;
  const sentAt = r.sentAt;
  const repliedAt = stepAt(r, 'replied');
  const opened = stepAt(r, 'opened');
  return {
    campaignId: campaign.id,
    title: campaign.statement.title,
    email: r.email,
    ...(sentAt ? { sentAt } : {}),
    state: r.state,
    delivery: typeof deliveryState === 'string' ? deliveryState : r.state,
    ...(opened ? { openedAt: opened } : {}),
    ...(repliedAt ? { repliedAt } : {}),
    replies: [...replies]
      .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : 1))
      .map((x) => ({
        id: x.id,
        kind: x.kind,
        receivedAt: x.receivedAt,
        ...(hours(sentAt, x.receivedAt) !== undefined
          ? { afterHours: hours(sentAt, x.receivedAt)! }
          : {}),
        counted: x.kind === 'human' && (x.match.strength === 'strong' || !!x.match.confirmedBy),
      })),
    ...(repliedAt && sentAt ? { firstReplyHours: hours(sentAt, repliedAt)! } : {}),
  };
}

export const RESPONSIVENESS_BY = ['institutionType', 'country', 'group'] as const;
export type ResponsivenessBy = (typeof RESPONSIVENESS_BY)[number];

export interface ResponsivenessRow {
  key: string;
  letters: number;
  delivered: number;
  humanReplies: number;
  /** Share of delivered letters that got a human reply, 0–1. */
  replyRate: number;
  /** Median hours from sending to the first human reply; absent without replies. */
  medianHoursToReply?: number;
  autoAcknowledgements: number;
}

const median = (xs: number[]) => {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round(((s[m - 1]! + s[m]!) / 2) * 10) / 10;
};

/** Which row a letter counts in: by a view's kind, or any key (a target's id); undefined: in none. */
export type KeyOf = (r: CampaignRecipient, target: Target | undefined) => string | undefined;

const KEYS: Record<ResponsivenessBy, KeyOf> = {
  institutionType: (_r, t) => t?.institutionType ?? (t ? 'other' : '(not in the directory)'),
  country: (r, t) => t?.country ?? r.country ?? '—',
  group: (r, t) => t?.group ?? r.group ?? 'other',
};

/** Accumulates letters into rows per institution type, country or group (or any key). */
export class Responsiveness {
  private readonly rows = new Map<string, { row: ResponsivenessRow; times: number[] }>();
  private readonly keyOf: KeyOf;

  constructor(readonly by: ResponsivenessBy | KeyOf) {
    this.keyOf = typeof by === 'function' ? by : KEYS[by];
  }

  /**
   * One letter, described by its target (the directory's current view of
   * the institution) when it was written to one, else by the recipient row.
   */
  add(r: CampaignRecipient, target: Target | undefined, autoAcks: number): void {
    if (!r.sentAt && r.state !== 'sent') return;
    const key = this.keyOf(r, target);
    if (key === undefined) return;
    let entry = this.rows.get(key);
    if (!entry) {
      entry = {
        row: {
          key,
          letters: 0,
          delivered: 0,
          humanReplies: 0,
          replyRate: 0,
          autoAcknowledgements: 0,
        },
        times: [],
      };
      this.rows.set(key, entry);
    }
    const { row } = entry;
    row.letters++;
    if (stepAt(r, 'delivered')) row.delivered++;
    const repliedAt = stepAt(r, 'replied');
    if (repliedAt) {
      row.humanReplies++;
      const h = hours(r.sentAt, repliedAt);
      if (h !== undefined) entry.times.push(h);
    }
    row.autoAcknowledgements += autoAcks;
  }

  result(): ResponsivenessRow[] {
    return [...this.rows.values()]
      .map(({ row, times }) => {
        const m = median(times);
        return {
          ...row,
          replyRate: row.delivered
            ? Math.round((row.humanReplies / row.delivered) * 1000) / 1000
            : 0,
          ...(m !== undefined ? { medianHoursToReply: m } : {}),
        };
      })
      .sort((a, b) => b.letters - a.letters || a.key.localeCompare(b.key));
  }
}

/** "within 6 hours", "within 3 days": how a person reads a median time to reply. */
export function usuallyWithin(medianHours: number): string {
  if (medianHours < 1) return 'within an hour';
  if (medianHours < 48) return `within ${Math.ceil(medianHours)} hours`;
  return `within ${Math.ceil(medianHours / 24)} days`;
}

/**
 * What the proof-of-delivery report says of a recipient's (or an
 * institution's) earlier letters, or undefined when none was answered by a
 * person. "Usually" only when at least half were answered; otherwise the
 * count says how rare an answer is. `plural` for a group ("ministers usually
 * reply").
 */
export function replyHistoryText(
  h: Pick<ResponsivenessRow, 'letters' | 'humanReplies' | 'medianHoursToReply'>,
  plural = false,
): string | undefined {
  if (!h.humanReplies || h.medianHoursToReply === undefined) return undefined;
  const within = usuallyWithin(h.medianHoursToReply);
  const answered = `${h.humanReplies} of ${h.letters} earlier letter${h.letters === 1 ? '' : 's'} answered`;
  return h.humanReplies * 2 >= h.letters
    ? `usually repl${plural ? 'y' : 'ies'} ${within} (${answered})`
    : `${answered}, ${within} (median)`;
}
