/**
 * SES event records written from the AWS documentation's published examples
 * ("Examples of event data that Amazon SES publishes to Amazon SNS", and the
 * EventBridge event format of "Monitoring SES events with Amazon
 * EventBridge"): the same fields and values, with the message id, recipient
 * and tags of the letter under test put in place of the example's.
 */
import { randomUUID } from 'node:crypto';

export interface Letter {
  messageId: string;
  to: string;
  /** Our EmailTags; omit to model identity notifications, which carry none. */
  campaignId?: string;
  recipientId?: string;
  /** When SES accepted the message; event timestamps follow it. Defaults to the example's. */
  sentAt?: string;
}

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

function mail(l: Letter) {
  const tags: Record<string, string[]> = {
    'ses:configuration-set': ['ConfigSet'],
    'ses:source-ip': ['192.0.2.0'],
    'ses:from-domain': ['example.com'],
    'ses:caller-identity': ['ses_user'],
  };
  if (l.campaignId) tags.campaign = [l.campaignId];
  if (l.recipientId) tags.recipient = [l.recipientId];
  return {
    timestamp: l.sentAt ?? '2017-08-05T00:40:02.012Z',
    source: 'Sender Name <sender@example.com>',
    sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/sender@example.com',
    sendingAccountId: '123456789012',
    messageId: l.messageId,
    destination: [l.to],
    headersTruncated: false,
    headers: [
      { name: 'From', value: 'Sender Name <sender@example.com>' },
      { name: 'To', value: l.to },
      { name: 'Subject', value: 'Message sent from Amazon SES' },
      { name: 'MIME-Version', value: '1.0' },
    ],
    commonHeaders: {
      from: ['Sender Name <sender@example.com>'],
      to: [l.to],
      messageId: l.messageId,
      subject: 'Message sent from Amazon SES',
    },
    tags,
  };
}

type Record_ = Record<string, unknown> & { eventType: string };

export const examples = {
  send: (l: Letter): Record_ => ({ eventType: 'Send', mail: mail(l), send: {} }),
  delivery: (l: Letter, afterMs = 11_893): Record_ => ({
    eventType: 'Delivery',
    mail: mail(l),
    delivery: {
      timestamp: l.sentAt ? plus(l.sentAt, afterMs) : '2016-10-19T23:21:04.133Z',
      processingTimeMillis: 11893,
      recipients: [l.to],
      smtpResponse: '250 2.6.0 Message received',
      reportingMTA: 'mta.example.com',
    },
  }),
  bounce: (l: Letter, afterMs = 60_657): Record_ => ({
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: l.to,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: l.sentAt ? plus(l.sentAt, afterMs) : '2017-08-05T00:41:02.669Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; mta.example.com',
    },
    mail: mail(l),
  }),
  complaint: (l: Letter, afterMs = 60_657): Record_ => ({
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: [{ emailAddress: l.to }],
      timestamp: l.sentAt ? plus(l.sentAt, afterMs) : '2017-08-05T00:41:02.669Z',
      feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2017-08-05T00:41:02.669Z',
    },
    mail: mail(l),
  }),
  reject: (l: Letter): Record_ => ({
    eventType: 'Reject',
    mail: mail(l),
    reject: { reason: 'Bad content' },
  }),
  delay: (l: Letter, afterMs = 5_000): Record_ => ({
    eventType: 'DeliveryDelay',
    mail: mail(l),
    deliveryDelay: {
      timestamp: l.sentAt ? plus(l.sentAt, afterMs) : '2020-06-16T00:15:40.641Z',
      delayType: 'TransientCommunicationFailure',
      expirationTime: '2020-06-16T00:25:40.914Z',
      delayedRecipients: [
        {
          emailAddress: l.to,
          status: '4.4.1',
          diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
        },
      ],
    },
  }),
  open: (
    l: Letter,
    afterMs = 3_600_000,
    who = {
      ipAddress: '192.0.2.1',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X) AppleWebKit/603.3.8 (KHTML, like Gecko) Mobile/14G60',
    },
  ): Record_ => ({
    eventType: 'Open',
    mail: mail(l),
    open: { ...who, timestamp: l.sentAt ? plus(l.sentAt, afterMs) : '2017-08-09T22:00:19.652Z' },
  }),
  click: (
    l: Letter,
    afterMs = 3_700_000,
    who = {
      ipAddress: '192.0.2.1',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36',
    },
  ): Record_ => ({
    eventType: 'Click',
    click: {
      ...who,
      link: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
      linkTags: { samplekey0: ['samplevalue0'], samplekey1: ['samplevalue1'] },
      timestamp: l.sentAt ? plus(l.sentAt, afterMs) : '2017-08-09T23:51:25.570Z',
    },
    mail: mail(l),
  }),
  renderingFailure: (l: Letter): Record_ => ({
    eventType: 'Rendering Failure',
    mail: mail(l),
    failure: {
      errorMessage: "Attribute 'attributeName' is not present in the rendering data.",
      templateName: 'MyTemplate',
    },
  }),
  subscription: (l: Letter): Record_ => ({
    eventType: 'Subscription',
    mail: mail(l),
    subscription: {
      contactList: 'ContactListName',
      timestamp: '2022-01-12T01:00:14.340Z',
      source: 'UnsubscribeHeader',
      newTopicPreferences: {
        unsubscribeAll: true,
        topicSubscriptionStatus: [
          { topicName: 'ExampleContactListTopic', subscriptionStatus: 'OptOut' },
        ],
      },
      oldTopicPreferences: {
        unsubscribeAll: false,
        topicSubscriptionStatus: [
          { topicName: 'ExampleContactListTopic', subscriptionStatus: 'OptOut' },
        ],
      },
    },
  }),
};

const DETAIL_TYPE: Record<string, string> = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  DeliveryDelay: 'Email Delivery Delayed',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  'Rendering Failure': 'Email Rendering Failed',
  Subscription: 'Email Subscribed',
};

/** The record as EventBridge delivers it to an SQS target (the body is the event). */
export function asEventBridge(record: Record_): string {
  return JSON.stringify({
    version: '0',
    id: randomUUID(),
    'detail-type': DETAIL_TYPE[record.eventType],
    source: 'aws.ses',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:ses:us-east-1:123456789012:configuration-set/ConfigSet'],
    detail: record,
  });
}

/** The record as an SNS notification in an SQS body (the record is a JSON string in Message). */
export function asSns(record: Record_): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-events',
    Subject: 'Amazon SES Email Event Notification',
    Message: JSON.stringify(record),
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem',
    UnsubscribeURL:
      'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=EXAMPLE',
  });
}

/** An identity notification (no event publishing): `notificationType`, and no tags. */
export function asIdentityNotification(record: Record_): string {
  const { eventType, mail: withTags, ...rest } = record;
  const { tags: _tags, ...mail } = withTags as Record<string, unknown>;
  return asSns({ notificationType: eventType, mail, ...rest } as unknown as Record_);
}

/** An SQS event with these bodies, as Lambda receives it. */
export function sqsEvent(bodies: string[], receiveCount = 1) {
  return {
    Records: bodies.map((body) => ({
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:demarche-events',
      awsRegion: 'us-east-1',
    })),
  };
}
