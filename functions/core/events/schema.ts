/**
 * The SES event records demarche accepts, validated with zod at the boundary.
 *
 * SES publishes one record shape (`eventType` + `mail` + one detail object)
 * for every event type; the older identity notifications name the type
 * `notificationType` instead and carry no tags. Records reach us either as
 * the `detail` of an EventBridge event or as the `Message` of an SNS
 * notification that SQS holds in its body. Unknown fields are kept out (zod
 * strips them), so nothing unexpected travels further.
 */
import { z } from 'zod';

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');
const email = z.string().min(3).max(320);

export const mailSchema = z.object({
  timestamp: iso,
  messageId: z.string().min(1).max(200),
  source: z.string().max(1000).optional(),
  destination: z.array(email).max(50).optional(),
  /** Event publishing only: tag name → values (our EmailTags campaign / recipient). */
  tags: z.record(z.string(), z.array(z.string())).optional(),
});
export type SesMail = z.infer<typeof mailSchema>;

const addressed = z.object({ emailAddress: email }).loose();

export const bounceSchema = z.object({
  bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
  bounceSubType: z.string().max(100),
  bouncedRecipients: z
    .array(
      addressed.extend({
        status: z.string().max(50).optional(),
        diagnosticCode: z.string().max(2000).optional(),
      }),
    )
    .min(1),
  timestamp: iso,
  feedbackId: z.string().max(200).optional(),
});

export const complaintSchema = z.object({
  complainedRecipients: z.array(addressed).min(1),
  timestamp: iso,
  feedbackId: z.string().max(200).optional(),
  complaintFeedbackType: z.string().max(100).optional(),
  userAgent: z.string().max(1000).optional(),
});

export const deliverySchema = z.object({
  timestamp: iso,
  recipients: z.array(email).optional(),
  smtpResponse: z.string().max(2000).optional(),
  processingTimeMillis: z.number().optional(),
});

export const rejectSchema = z.object({ reason: z.string().max(2000) });

export const delaySchema = z.object({
  timestamp: iso,
  delayType: z.string().max(100),
  expirationTime: iso.optional(),
  delayedRecipients: z
    .array(addressed.extend({ diagnosticCode: z.string().max(2000).optional() }))
    .optional(),
});

export const openSchema = z.object({
  timestamp: iso,
  ipAddress: z.string().max(100).optional(),
  userAgent: z.string().max(2000).optional(),
});

export const clickSchema = openSchema.extend({
  link: z.string().max(4000),
  linkTags: z.record(z.string(), z.array(z.string())).optional(),
});

export const failureSchema = z.object({
  errorMessage: z.string().max(2000),
  templateName: z.string().max(200).optional(),
});

export const subscriptionSchema = z.object({
  contactList: z.string().max(200).optional(),
  timestamp: iso,
  source: z.string().max(200).optional(),
  newTopicPreferences: z.object({ unsubscribeAll: z.boolean().optional() }).loose().optional(),
  oldTopicPreferences: z.object({ unsubscribeAll: z.boolean().optional() }).loose().optional(),
});

const base = { mail: mailSchema };

/** One SES event record, discriminated by its type (event publishing names). */
export const sesEventSchema = z.discriminatedUnion('eventType', [
  z.object({ ...base, eventType: z.literal('Send'), send: z.object({}).loose().optional() }),
  z.object({ ...base, eventType: z.literal('Delivery'), delivery: deliverySchema }),
  z.object({ ...base, eventType: z.literal('Bounce'), bounce: bounceSchema }),
  z.object({ ...base, eventType: z.literal('Complaint'), complaint: complaintSchema }),
  z.object({ ...base, eventType: z.literal('Reject'), reject: rejectSchema }),
  z.object({ ...base, eventType: z.literal('DeliveryDelay'), deliveryDelay: delaySchema }),
  z.object({ ...base, eventType: z.literal('Open'), open: openSchema }),
  z.object({ ...base, eventType: z.literal('Click'), click: clickSchema }),
  z.object({ ...base, eventType: z.literal('Rendering Failure'), failure: failureSchema }),
  z.object({ ...base, eventType: z.literal('Subscription'), subscription: subscriptionSchema }),
]);
export type SesEvent = z.infer<typeof sesEventSchema>;
export type SesEventType = SesEvent['eventType'];

/** EventBridge detail-type for each SES event type (as SES sends them to the default bus). */
export const DETAIL_TYPES: Record<string, SesEventType> = {
  'Email Sent': 'Send',
  'Email Delivered': 'Delivery',
  'Email Bounced': 'Bounce',
  'Email Complaint Received': 'Complaint',
  'Email Rejected': 'Reject',
  'Email Delivery Delayed': 'DeliveryDelay',
  'Email Opened': 'Open',
  'Email Clicked': 'Click',
  'Email Rendering Failed': 'Rendering Failure',
  'Email Subscribed': 'Subscription',
};

export const eventBridgeSchema = z.object({
  version: z.string().optional(),
  id: z.string().min(1).max(200),
  'detail-type': z.string().max(200),
  source: z.literal('aws.ses'),
  time: iso.optional(),
  detail: z.unknown(),
});

export const snsSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().min(1).max(200),
  Message: z.string().max(256 * 1024),
  TopicArn: z.string().optional(),
  Timestamp: iso.optional(),
});
