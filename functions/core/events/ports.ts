/**
 * The storage the events side talks to. The DynamoDB adapter
 * (adapters/dynamo-events.ts) writes each event's timeline entry, recipient
 * change and counter increments in one transaction.
 */
import type { EventChange, RecipientTrack, TimelineEntry } from './rules.js';

export type ApplyResult = 'applied' | 'duplicate' | 'conflict' | 'missing';

export interface EventStore {
  /** The recipient an SES message went to (recorded when it was sent). */
  recipientByMessage(
    messageId: string,
  ): Promise<{ campaignId: string; recipientId: string } | undefined>;
  /** What the rules need to know about a recipient; undefined when there is none. */
  track(campaignId: string, recipientId: string): Promise<RecipientTrack | undefined>;
  /**
   * Writes the change atomically: the timeline entry (at most once per event
   * id: a second write is 'duplicate'), the recipient (only if its version is
   * still `r.version`, else 'conflict') and the counters.
   */
  apply(r: RecipientTrack, change: EventChange): Promise<ApplyResult>;
  /** A recipient's events in time order. */
  timeline(campaignId: string, recipientId: string): Promise<TimelineEntry[]>;
}
