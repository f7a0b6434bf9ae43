/**
 * From an SQS message body to engagement events. Accepts the three ways an
 * SES record reaches the queue: an EventBridge event (detail-type "Email
 * Delivered" …), an SNS notification (the record as a JSON string in
 * `Message`), or the bare record (SNS raw message delivery). Identity
 * notifications (`notificationType`) are read like event publishing records.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { EventInvalidError } from './errors.js';
import type { EngagementEvent } from './model.js';
import {
  DETAIL_TYPES,
  eventBridgeSchema,
  type SesEvent,
  sesEventSchema,
  snsSchema,
} from './schema.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}

function json(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new EventInvalidError(where, 'is not JSON');
  }
}

/**
 * Reads one SQS body into the SES record it carries. Throws EventInvalidError
 * naming the envelope part that is wrong; returns undefined for SNS messages
 * that are not events (subscription confirmations).
 */
export function unwrap(body: string): SesEvent | undefined {
  const parsed = json(body, 'body');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EventInvalidError('body', 'is not a JSON object');
  }
  const o = parsed as Record<string, unknown>;
  if ('detail-type' in o) {
    const eb = eventBridgeSchema.safeParse(o);
    if (!eb.success) throw new EventInvalidError('EventBridge event', problems(eb.error));
    const expected = DETAIL_TYPES[eb.data['detail-type']];
    if (!expected) {
      throw new EventInvalidError(
        'EventBridge detail-type',
        `${JSON.stringify(eb.data['detail-type'])} is not an SES email event`,
      );
    }
    const detail = withType(eb.data.detail, expected);
    const named = (detail as { eventType?: unknown } | null)?.eventType;
    if (named !== undefined && named !== expected) {
      throw new EventInvalidError(
        'EventBridge detail',
        `eventType ${String(named)} does not match detail-type ${eb.data['detail-type']}`,
      );
    }
    const record = readRecord(detail, 'EventBridge detail');
    if (record.eventType !== expected) {
      throw new EventInvalidError(
        'EventBridge detail',
        `notificationType ${record.eventType} does not match detail-type ${eb.data['detail-type']}`,
      );
    }
    return record;
  }
  if ('Type' in o) {
    if (o.Type === 'SubscriptionConfirmation' || o.Type === 'UnsubscribeConfirmation') {
      return undefined;
    }
    const sns = snsSchema.safeParse(o);
    if (!sns.success) throw new EventInvalidError('SNS notification', problems(sns.error));
    const message = json(sns.data.Message, 'SNS Message');
    if (isNotice(message)) return undefined;
    return readRecord(message, 'SNS Message');
  }
  if (isNotice(o)) return undefined;
  return readRecord(o, 'record');
}

/**
 * The detail of an EventBridge event may leave out `eventType`: the
 * detail-type already names it. Given one, it must agree (checked by the caller).
 */
function withType(detail: unknown, expected: string): unknown {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return detail;
  const d = detail as Record<string, unknown>;
  return d.eventType === undefined && d.notificationType === undefined
    ? { ...d, eventType: expected }
    : detail;
}

/** SES's "AmazonSnsSubscriptionSucceeded" notice carries no event. */
function isNotice(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as Record<string, unknown>).notificationType === 'AmazonSnsSubscriptionSucceeded'
  );
}

function readRecord(value: unknown, where: string): SesEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EventInvalidError(where, 'is not a JSON object');
  }
  const v = value as Record<string, unknown>;
  // Identity notifications name the type notificationType; the rest of the record is the same.
  const record =
    v.eventType === undefined && v.notificationType !== undefined
      ? { ...v, eventType: v.notificationType }
      : v;
  const parsed = sesEventSchema.safeParse(record);
  if (!parsed.success) throw new EventInvalidError(where, problems(parsed.error));
  return parsed.data;
}

function stableId(parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 22);
}

function tag(e: SesEvent, name: string): string | undefined {
  const v = e.mail.tags?.[name]?.[0];
  return v !== undefined && ID.test(v) ? v : undefined;
}

/**
 * Maps one SES record to an engagement event. The id depends only on the
 * record (message, type, the event's own timestamp and distinguishing
 * detail), so the same event delivered twice, or through both EventBridge
 * and SNS, is one event.
 */
export function toEngagement(e: SesEvent): EngagementEvent {
  const common = {
    source: 'ses' as const,
    messageId: e.mail.messageId,
    campaignId: tag(e, 'campaign'),
    recipientId: tag(e, 'recipient'),
    sentAt: e.mail.timestamp,
  };
  const id = (at: string, ...extra: (string | undefined)[]) =>
    stableId([e.mail.messageId, e.eventType, at, ...extra]);
  switch (e.eventType) {
    case 'Send':
      return { ...common, type: 'send', at: e.mail.timestamp, id: id(e.mail.timestamp) };
    case 'Delivery':
      return {
        ...common,
        type: 'delivery',
        at: e.delivery.timestamp,
        id: id(e.delivery.timestamp),
        address: e.delivery.recipients?.[0],
        reason: e.delivery.smtpResponse,
      };
    case 'Bounce': {
      const r = e.bounce.bouncedRecipients[0]!;
      return {
        ...common,
        type: 'bounce',
        at: e.bounce.timestamp,
        id: id(e.bounce.timestamp, e.bounce.feedbackId),
        address: r.emailAddress,
        bounceType: e.bounce.bounceType === 'Permanent' ? 'hard' : 'soft',
        reason: [e.bounce.bounceType, e.bounce.bounceSubType, r.diagnosticCode]
          .filter(Boolean)
          .join(': '),
      };
    }
    case 'Complaint':
      return {
        ...common,
        type: 'complaint',
        at: e.complaint.timestamp,
        id: id(e.complaint.timestamp, e.complaint.feedbackId),
        address: e.complaint.complainedRecipients[0]!.emailAddress,
        reason: e.complaint.complaintFeedbackType,
      };
    case 'Reject':
      return {
        ...common,
        type: 'reject',
        at: e.mail.timestamp,
        id: id(e.mail.timestamp),
        reason: e.reject.reason,
      };
    case 'DeliveryDelay':
      return {
        ...common,
        type: 'delay',
        at: e.deliveryDelay.timestamp,
        id: id(e.deliveryDelay.timestamp),
        reason: e.deliveryDelay.delayType,
      };
    case 'Open':
      return {
        ...common,
        type: 'open',
        at: e.open.timestamp,
        id: id(e.open.timestamp, e.open.ipAddress, e.open.userAgent),
        ip: e.open.ipAddress,
        userAgent: e.open.userAgent,
      };
    case 'Click':
      return {
        ...common,
        type: 'click',
        at: e.click.timestamp,
        id: id(e.click.timestamp, e.click.link, e.click.ipAddress),
        ip: e.click.ipAddress,
        userAgent: e.click.userAgent,
        link: e.click.link,
      };
    case 'Rendering Failure':
      return {
        ...common,
        type: 'renderingFailure',
        at: e.mail.timestamp,
        id: id(e.mail.timestamp),
        reason: e.failure.errorMessage,
      };
    case 'Subscription':
      return {
        ...common,
        type: 'subscription',
        at: e.subscription.timestamp,
        id: id(e.subscription.timestamp, e.subscription.contactList),
        unsubscribeAll: e.subscription.newTopicPreferences?.unsubscribeAll === true,
      };
  }
}

/** One SQS body to its engagement event; undefined for SNS notices that carry none. */
export function parseEventBody(body: string): EngagementEvent | undefined {
  const record = unwrap(body);
  return record ? toEngagement(record) : undefined;
}
