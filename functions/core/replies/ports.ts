/**
 * The storage the replies side talks to: replies per campaign (and the
 * unmatched ones), the recipient-side marks (replied, counted once; a weak
 * match's uncounted note; a confirmation), the look-ups matching needs, and
 * the raw messages. Nothing here counts a bounce: SES events do.
 * adapters/dynamo-replies.ts and adapters/raw-store.ts implement them.
 */
import type { Page } from '../ports.js';
import type { Reply, ReplyKind } from './types.js';

export interface RecipientRef {
  campaignId: string;
  recipientId: string;
}

export interface ReplyQuery {
  cursor?: string;
  limit?: number;
  recipientId?: string;
  kind?: ReplyKind;
  /** Only replies staff marked handled (true) or not yet (false). */
  handled?: boolean;
}

/** A staff member's mark on a reply: who (as shown to staff) and when. */
export interface ReplyMark {
  by: string;
  at: string;
}

export interface ReplyStore {
  /** Records the first reader of a campaign's reply (a later reader changes nothing). */
  markRead(campaignId: string, replyId: string, mark: ReplyMark): Promise<void>;
  /**
   * Marks a campaign's reply handled, or (mark undefined) still to handle.
   * False when it already was in that state: nothing written.
   */
  markHandled(campaignId: string, replyId: string, mark: ReplyMark | undefined): Promise<boolean>;
  /**
   * Stores a reply unless a message with the same `dedupeKey` was stored
   * before (redelivery): then nothing is written and the earlier reply's
   * place is returned. With `timeline`, the reply also goes on its
   * recipient's timeline with that reason, in the same write.
   */
  recordReply(
    reply: Reply,
    dedupeKey: string,
    opts?: { timeline?: string },
  ): Promise<{ created: true } | { created: false; campaignId?: string; replyId: string }>;
  /**
   * Marks the recipient as having replied (a person) and counts `replied`
   * once per recipient, atomically; also keeps their reply count and last
   * reply. Returns true when this call counted.
   */
  markReplied(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<boolean>;
  /** Notes a non-human reply (auto-reply, forward) on the recipient, uncounted. */
  noteReply(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt' | 'kind'>): Promise<void>;
  /**
   * Notes a weak (sender-address) match on the recipient — `weakReplyAt`,
   * for the marks in exports — without `repliedAt` and without counting.
   */
  noteWeakReply(ref: RecipientRef, reply: Pick<Reply, 'id' | 'receivedAt'>): Promise<void>;
  /**
   * Confirms a weak match by hand: marks the reply confirmed (once: false
   * when it already was), then counts the recipient as replied unless they
   * already were. `counted` says whether this call counted.
   */
  confirmReply(
    ref: RecipientRef,
    reply: Pick<Reply, 'id' | 'receivedAt'>,
    by: string,
    at: string,
  ): Promise<{ confirmed: boolean; counted: boolean }>;
  /** The recipient an SES message id was sent to (GSI1 `MSG#<id>`). */
  recipientByMessageId(messageId: string): Promise<RecipientRef | undefined>;
  /** The most recent campaign, among the latest `campaigns`, that sent a letter to this address. */
  recipientByAddress(email: string, campaigns?: number): Promise<RecipientRef | undefined>;
  /** A campaign's replies, newest first; `campaignId` undefined lists the unmatched ones. */
  listReplies(campaignId: string | undefined, query?: ReplyQuery): Promise<Page<Reply>>;
  /** How many of a campaign's replies match (the dashboard's "to handle" count). */
  countReplies(campaignId: string, query?: Pick<ReplyQuery, 'kind' | 'handled'>): Promise<number>;
  getReply(campaignId: string | undefined, replyId: string): Promise<Reply | undefined>;
  markForwarded(campaignId: string, replyId: string, at: string): Promise<void>;
}

/** Raw messages: S3 in AWS (where the SES receipt rule wrote them), a folder locally. */
export interface RawMessageStore {
  put(key: string, raw: Uint8Array): Promise<void>;
  /** The raw bytes, or undefined when there is no such message. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Size in bytes without reading the message, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Removes a message (erasure on request); nothing happens when there is none. */
  delete(key: string): Promise<void>;
}
