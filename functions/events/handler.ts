/**
 * Events: SQS batch of SES event records (EventBridge events or SNS
 * notifications) and of our tracking routes' events (opens, clicks,
 * unsubscribes, core/events/envelope.ts) → recipient state, timeline and
 * campaign counters. Malformed or unknown records are logged and dropped,
 * never retried; only storage errors (a recipient changing under too many
 * attempts included) and events not yet attributable come back to the
 * queue, so no event is lost to a hot recipient or counter.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Deps, deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import { RetryLaterError } from '../core/errors.js';
import { EventInvalidError } from '../core/events/errors.js';
import { ingest, type IngestDeps } from '../core/events/ingest.js';
import { parseEventBody } from '../core/events/normalise.js';
import { parseEnvelope } from '../core/events/envelope.js';
import { METRIC } from '../core/metrics.js';
import { reconcileFromEvent } from '../core/reconcile.js';
import { fallbackAfterBounce } from '../core/governance/fallback.js';
import { choiceAudit } from '../core/recipient-pages/audit.js';

const log = logger('events');

/** Receives before an event no tag or message id leads anywhere is dropped (the send record may lag). */
const UNATTRIBUTED_RECEIVES = 3;

/** The events side's view of the adapters: shared by this handler and the tracking routes. */
export function ingestDeps(d: Deps): IngestDeps {
  return {
    events: d.events,
    store: d.store,
    campaign: (id) => d.campaigns.campaign(id, d.clock.now().getTime()),
    reconcile: async (e) => {
      if (!e.messageId) return;
      const out = await reconcileFromEvent(d, {
        campaignId: e.campaignId,
        recipientId: e.recipientId,
        messageId: e.messageId,
        ...(e.sentAt ? { sentAt: e.sentAt } : {}),
      });
      if (out === 'reconciled') log.info('letter reconciled from SES event', { ...e });
    },
    fallback: async (e) => {
      const out = await fallbackAfterBounce(
        {
          store: d.store,
          fallbacks: d.fallbacks,
          queue: d.queue,
          clock: d.clock,
          audit: (entry) => d.governance.appendAudit(entry),
        },
        e,
      );
      // The directory learns it too: the target whose primary this was is marked failing
      // (a person confirms a fallback's promotion on the target's page; nothing moves there).
      if (e.address)
        await d.directory.markFailing(e.address.trim().toLowerCase(), {
          at: e.at,
          campaignId: e.campaignId,
          reason: `hard bounce${out.outcome === 'moved' ? ', letter moved to a fallback' : ''}`,
        });
      // No address in the log line: the recipient id says who.
      if (out.outcome === 'moved')
        log.info('letter moved to a fallback address after a hard bounce', {
          campaignId: e.campaignId,
          recipientId: e.recipientId,
          attempt: out.attempt,
        });
    },
  };
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const all = deps();
  const d = ingestDeps(all);
  const processor = new BatchProcessor(EventType.SQS);
  let repeats = 0;
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      let e;
      try {
        e = parseEnvelope(record.body) ?? parseEventBody(record.body);
      } catch (err) {
        if (!(err instanceof EventInvalidError)) throw err;
        log.warn('dropped an event record that is not a valid SES event', {
          sqsMessageId: record.messageId,
          problem: err.message,
        });
        return 'dropped';
      }
      if (!e) return 'ignored';
      const outcome = await ingest(d, e);
      if (outcome === 'repeat') repeats++;
      // A recipient's own unsubscribe or undo is logged once it is applied (not on a duplicate).
      const entry = outcome === 'applied' ? choiceAudit(e) : undefined;
      if (entry) await all.governance.appendAudit(entry);
      if (outcome === 'unattributed') {
        const receives = Number(record.attributes?.ApproximateReceiveCount ?? 1);
        if (receives < UNATTRIBUTED_RECEIVES) {
          throw new RetryLaterError(
            `event ${e.id} (${e.type}, message ${e.messageId}) has no recipient yet`,
          );
        }
        log.warn('dropped an event no recipient matches', { type: e.type, messageId: e.messageId });
      } else if (outcome === 'missing') {
        log.warn('dropped an event for an unknown campaign or recipient', {
          type: e.type,
          campaignId: e.campaignId,
          recipientId: e.recipientId,
        });
      }
      return outcome;
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
  if (repeats) all.metrics.count(METRIC.trackingRepeats, repeats);
  if (response.batchItemFailures.length)
    all.metrics.count(METRIC.batchItemFailures, response.batchItemFailures.length);
  all.metrics.flush();
  return response;
}
