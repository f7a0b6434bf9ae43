/**
 * The tracking routes' events onto the events queue (SQS SendMessage to
 * DEMARCHE_EVENTS_QUEUE_URL), where the events function applies them: the
 * internet-facing function writes no campaign item itself.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../core/errors.js';
import { metered } from './client-meter.js';
import type { Config } from './config.js';
import { envelope, type EventPublisher } from '../core/events/envelope.js';
import type { EngagementEvent } from '../core/events/model.js';

export class SqsEventPublisher implements EventPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(event: EngagementEvent): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: envelope(event) }),
    );
  }
}

/** Without a queue the events cannot travel: said plainly, at the first event. */
export const missingEventsQueue: EventPublisher = {
  publish: async () => {
    throw new ConfigError(
      'no events queue: set DEMARCHE_EVENTS_QUEUE_URL or run through the local runtime',
    );
  },
};

/** The events queue of the configuration (DEMARCHE_EVENTS_QUEUE_URL), or the error saying it is missing. */
export function eventsQueueFrom(config: Pick<Config, 'region' | 'eventsQueueUrl'>): EventPublisher {
  return config.eventsQueueUrl
    ? new SqsEventPublisher(
        metered(new SQSClient({ region: config.region }), 'sqs'),
        config.eventsQueueUrl,
      )
    : missingEventsQueue;
}
