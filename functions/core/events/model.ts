/**
 * What an engagement event is once its envelope and SES's vocabulary are
 * gone: one thing that happened to one letter, with a stable id so that a
 * redelivered event is recognised whichever way it arrived.
 */
export const EVENT_TYPES = [
  'send',
  'delivery',
  'delay',
  'bounce',
  'complaint',
  'reject',
  'renderingFailure',
  'open',
  'click',
  'unsubscribe',
  'subscription',
  /** Written by the replies side (adapters/dynamo-replies.ts) into the same timeline. */
  'reply',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where an event came from: SES event publishing, or one of our own tracking routes. */
export type EventSource = 'ses' | 'pixel' | 'link' | 'unsubscribe' | 'inbound';

export interface EngagementEvent {
  /** Deterministic for SES events (same event via EventBridge or SNS → same id). */
  id: string;
  type: EventType;
  /** When it happened (the SES detail timestamp, or the request time for our routes). */
  at: string;
  source: EventSource;
  messageId?: string;
  campaignId?: string;
  recipientId?: string;
  /** The address SES reports the event for (bounced / complained recipient). */
  address?: string;
  bounceType?: 'hard' | 'soft';
  /** Reason or diagnostic shown on the timeline (bounce subtype, reject reason …). */
  reason?: string;
  userAgent?: string;
  ip?: string;
  link?: string;
  /** When SES accepted the message (mail.timestamp), for scanner detection before a Delivery arrives. */
  sentAt?: string;
  /** A Subscription event that opts the address out of everything. */
  unsubscribeAll?: boolean;
}

/** Where a recipient's letter stands according to delivery events; only ever moves up. */
export const DELIVERY_STATES = [
  'sent',
  'delayed',
  'delivered',
  'bouncedSoft',
  'bouncedHard',
  'rejected',
  'complained',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * Rank of each state: a later event may only raise it (a late Delivery never
 * hides a Bounce). No two states share a rank, so the state a letter ends in
 * does not depend on the order its events arrive in.
 */
export const DELIVERY_RANK: Record<DeliveryState, number> = {
  sent: 1,
  delayed: 2,
  delivered: 3,
  bouncedSoft: 4,
  bouncedHard: 5,
  rejected: 6,
  complained: 7,
};

/** A delivery state after which the letter certainly never reached a person. */
export const UNDELIVERABLE: ReadonlySet<DeliveryState> = new Set([
  'bouncedHard',
  'bouncedSoft',
  'rejected',
]);
