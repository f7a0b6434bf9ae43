/**
 * The rules that turn one event into one change of a recipient's record.
 * Pure: given what is stored and what happened, it says what to write.
 *
 * - The delivery state only rises (DELIVERY_RANK): a late Delivery never
 *   hides a Bounce, and applying events in any order ends in the same state.
 * - "Unique" counters count a recipient once (a flag on the recipient says it
 *   was counted); totals count every human open or click. "delivered" counts
 *   letters delivered and not bounced, whatever order the events came in.
 * - An open or click of a letter that bounced or was rejected cannot be a
 *   person reading it: it stays on the timeline as an anomaly, uncounted.
 */
import type { CounterName } from '../campaign.js';
import type { Group } from '../recipients.js';
import { classify } from './machine.js';
import {
  DELIVERY_RANK,
  type DeliveryState,
  type EngagementEvent,
  type EventSource,
  type EventType,
  UNDELIVERABLE,
} from './model.js';

/** What the events side reads of a recipient before applying an event. */
export interface RecipientTrack {
  campaignId: string;
  recipientId: string;
  email: string;
  group: Group;
  /** The sender's state of the letter (pending, claimed, sent …). */
  sendState?: string;
  /** Events applied so far: the optimistic lock every change is conditioned on. */
  version: number;
  deliveryState?: DeliveryState;
  /** Flags of what was already counted for this recipient. */
  seen: string[];
  sentAt?: string;
  deliveredAt?: string;
  /** The SES message id of the letter on record (absent while a fallback letter waits to go). */
  messageId?: string;
  /** Earlier letters of this recipient that moved on to a fallback address: their message ids and addresses. */
  earlier?: { messageId: string; email: string }[];
  /** When the last open, and the last click per link, was recorded (window.ts: one per window). */
  lastSeen?: Record<string, string>;
}

/** One line of a recipient's timeline. */
export interface TimelineEntry {
  id: string;
  type: EventType;
  at: string;
  source: EventSource;
  actor?: 'human' | 'machine';
  /** Why (machine classification, bounce diagnostic, reject reason …). */
  reason?: string;
  link?: string;
  bounceType?: 'hard' | 'soft';
  anomaly?: boolean;
  /** Reply entries (written by the replies side): the reply and its kind. */
  replyId?: string;
  replyKind?: string;
}

export interface EventChange {
  entry: TimelineEntry;
  /** The raised delivery state, when this event raises it. */
  state?: DeliveryState;
  /** Flags newly counted by this event. */
  flags: string[];
  counters: Partial<Record<CounterName, number>>;
  /** Attributes set only when absent (first delivery, first human open …). */
  firsts: Partial<
    Record<
      'deliveredAt' | 'bouncedAt' | 'complainedAt' | 'openedAt' | 'clickedAt' | 'unsubscribedAt',
      string
    >
  >;
  /** Put the address on the suppression list, with this reason. */
  suppress?: string;
  /** The recipient's `lastSeen` after this event (window.ts), when it changes it. */
  lastSeen?: Record<string, string>;
}

const STATE_OF: Partial<Record<EventType, (e: EngagementEvent) => DeliveryState>> = {
  send: () => 'sent',
  delay: () => 'delayed',
  delivery: () => 'delivered',
  bounce: (e) => (e.bounceType === 'hard' ? 'bouncedHard' : 'bouncedSoft'),
  complaint: () => 'complained',
  reject: () => 'rejected',
  renderingFailure: () => 'rejected',
};

/**
 * Whether the letter ever bounced or was rejected. Read from the flags, not
 * only the state: a complaint outranks a bounce, so the state alone would
 * forget the bounce behind it and make the counts depend on the order.
 */
function undeliverable(r: RecipientTrack, seen: Set<string>): boolean {
  return (
    [...UNDELIVERABLE].some((s) => seen.has(s)) ||
    (r.deliveryState !== undefined && UNDELIVERABLE.has(r.deliveryState))
  );
}

/** Computes the change one event makes to a recipient as stored. */
export function applyEvent(r: RecipientTrack, e: EngagementEvent): EventChange {
  const seen = new Set(r.seen);
  const change: EventChange = {
    entry: { id: e.id, type: e.type, at: e.at, source: e.source },
    flags: [],
    counters: {},
    firsts: {},
  };
  if (e.reason) change.entry.reason = e.reason;
  if (e.link) change.entry.link = e.link;
  if (e.bounceType) change.entry.bounceType = e.bounceType;

  const count = (counter: CounterName, n = 1) =>
    (change.counters[counter] = (change.counters[counter] ?? 0) + n);
  const once = (flag: string, counter: CounterName) => {
    if (seen.has(flag) || change.flags.includes(flag)) return false;
    change.flags.push(flag);
    count(counter);
    return true;
  };

  const toState = STATE_OF[e.type]?.(e);
  if (toState) {
    const current = r.deliveryState ? DELIVERY_RANK[r.deliveryState] : 0;
    if (DELIVERY_RANK[toState] > current) change.state = toState;
    const wasUndeliverable = undeliverable(r, seen);
    if (toState === 'delivered') {
      // "Delivered" counts letters that arrived and did not bounce: a Delivery after a
      // Bounce is remembered but not counted, a Bounce after a Delivery takes it back,
      // so the count is the same in whichever order the two arrive.
      if (!seen.has('delivered')) {
        change.flags.push('delivered');
        if (!wasUndeliverable) count('delivered');
      }
    } else if (toState !== 'sent') {
      once(toState, toState);
      if (UNDELIVERABLE.has(toState) && !wasUndeliverable && seen.has('delivered')) {
        count('delivered', -1);
      }
    }
    if (toState === 'delivered') change.firsts.deliveredAt = e.at;
    if (toState === 'bouncedHard' || toState === 'bouncedSoft') change.firsts.bouncedAt = e.at;
    if (toState === 'complained') change.firsts.complainedAt = e.at;
    if (toState === 'bouncedHard') change.suppress = 'hard bounce';
    if (toState === 'complained') change.suppress = 'complaint';
    return change;
  }

  if (e.type === 'open' || e.type === 'click') {
    if (undeliverable(r, seen)) {
      const how = [...UNDELIVERABLE].find((x) => seen.has(x)) ?? r.deliveryState;
      change.entry.anomaly = true;
      change.entry.reason = `${e.type} after the letter was ${how}`;
      return change;
    }
    const actor = classify({
      type: e.type,
      at: e.at,
      userAgent: e.userAgent,
      ip: e.ip,
      arrivedAt: r.deliveredAt ?? e.sentAt ?? r.sentAt,
    });
    change.entry.actor = actor.kind;
    if (actor.kind === 'machine') {
      change.entry.reason = actor.reason;
      once(
        e.type === 'open' ? 'openedMachine' : 'clickedMachine',
        e.type === 'open' ? 'openedMachine' : 'clickedMachine',
      );
      return change;
    }
    if (e.type === 'open') {
      if (once('opened', 'openedUnique')) change.firsts.openedAt = e.at;
      count('openedTotal');
    } else {
      if (once('clicked', 'clickedUnique')) change.firsts.clickedAt = e.at;
      count('clickedTotal');
      // A person who clicked has read the letter, even if the pixel was blocked.
      if (once('opened', 'openedUnique')) change.firsts.openedAt = e.at;
    }
    return change;
  }

  if (e.type === 'unsubscribe' || (e.type === 'subscription' && e.unsubscribeAll)) {
    if (once('unsubscribed', 'unsubscribed')) change.firsts.unsubscribedAt = e.at;
    change.suppress = 'unsubscribed';
  }
  return change;
}
