/**
 * What demarche keeps of a message that arrived on a reply address: who it is
 * from, which letter it answers (and how sure we are), what kind of message
 * it is, the new text without the quoted letter, the attachments' names and
 * sizes, and where the raw message is kept for staff.
 */

/** human: a person answered; auto-reply: out-of-office or acknowledgement; bounce: a delivery-status report; forward: our letter passed on. */
export const REPLY_KINDS = ['human', 'auto-reply', 'bounce', 'forward', 'rejected'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

/**
 * How a message was attached to a recipient. `token`: the signed reply
 * address (strong); `message-id`: In-Reply-To/References name a letter we sent
 * (strong); `sender`: only the From address is one of the campaign's
 * recipients (weak); `none`: not attached (a tampered token never matches).
 */
export interface ReplyMatch {
  by: 'token' | 'message-id' | 'sender' | 'none';
  strength: 'strong' | 'weak' | 'none';
  /** Why it matched or did not, in words staff can read. */
  detail: string;
}

export interface ReplyAttachment {
  filename: string;
  mimeType: string;
  size: number;
}

/** The delivery-status fields of a DSN that matter to staff (RFC 3464). */
export interface BounceReport {
  permanent: boolean;
  action?: string;
  status?: string;
  finalRecipient?: string;
  diagnostic?: string;
}

/** Where the raw message is kept: the key in the raw store (S3 object or local file). */
export interface RawRef {
  key: string;
  size: number;
  sha256: string;
}

export interface Reply {
  /** Sortable by arrival time, unique: `<yyyymmddhhmmssSSS>-<hash>`. */
  id: string;
  campaignId?: string;
  recipientId?: string;
  match: ReplyMatch;
  kind: ReplyKind;
  /** What made the classifier decide (header names and values, phrases found). */
  reasons: string[];
  /** For kind `rejected`: why the message could not be read. */
  rejectReason?: string;
  receivedAt: string;
  from?: { name: string; address: string };
  /** Envelope recipients on our reply domain (RCPT TO / SES receipt recipients). */
  envelopeTo: string[];
  subject?: string;
  date?: string;
  messageId?: string;
  inReplyTo?: string;
  /** The new text of the reply, without the quoted letter or signature separator. */
  text: string;
  /** True when `text` or the full text was cut to fit the item size limit. */
  truncated?: boolean;
  attachments: ReplyAttachment[];
  bounce?: BounceReport;
  raw: RawRef;
  /** SES receipt verdicts (spam, virus, SPF, DKIM, DMARC) when SES supplied them. */
  verdicts?: Record<string, string>;
  /** Set once the reply was forwarded to the campaign's staff address. */
  forwardedAt?: string;
}
