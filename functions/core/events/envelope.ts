/**
 * Events of our own tracking routes (open pixel, click, unsubscribe) on their
 * way to the events function, through the same queue as SES's events. The
 * internet-facing tracking function only verifies the token and sends the
 * event on; the events function applies it once (idempotent by event id,
 * one per dedupe window, never dropped: a record that cannot be applied now
 * comes back from the queue). The body is validated like any other input.
 */
// zod's tree-shakable build, with its English messages: the tracking
// function writes envelopes and must stay small.
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { EventInvalidError } from './errors.js';
import type { EngagementEvent } from './model.js';

/** Marks a queue body as a tracking event (SES's records carry `source: aws.ses` or SNS fields). */
export const TRACKING_ENVELOPE = 'demarche.tracking/1';

/** Where the tracking routes send their events (SQS in AWS, the local events queue locally). */
export interface EventPublisher {
  publish(event: EngagementEvent): Promise<void>;
}

const id = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/));
const iso = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp'));
const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));

const trackingEvent = z.strictObject({
  id,
  type: z.enum(['open', 'click', 'unsubscribe', 'resubscribe']),
  source: z.enum(['pixel', 'link', 'unsubscribe']),
  at: iso,
  campaignId: id,
  recipientId: id,
  userAgent: text(1000),
  ip: text(64),
  link: text(4000),
  scope: z.optional(z.enum(['all', 'followups'])),
});

const envelopeSchema = z.strictObject({
  envelope: z.literal(TRACKING_ENVELOPE),
  event: trackingEvent,
});

z.config(en());

/** The queue body of a tracking event. */
export function envelope(event: EngagementEvent): string {
  return JSON.stringify({ envelope: TRACKING_ENVELOPE, event });
}

/**
 * The tracking event in a queue body; undefined when the body is not a
 * tracking envelope at all (an SES record); throws when it claims to be one
 * and is malformed.
 */
export function parseEnvelope(body: string): EngagementEvent | undefined {
  if (!body.includes(TRACKING_ENVELOPE)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if ((parsed as { envelope?: unknown })?.envelope !== TRACKING_ENVELOPE) return undefined;
  const out = envelopeSchema.safeParse(parsed);
  if (!out.success)
    throw new EventInvalidError(
      'tracking event',
      out.error.issues.map((i) => `${i.path.join('.') || '(whole)'}: ${i.message}`).join('; '),
    );
  return out.data.event;
}
