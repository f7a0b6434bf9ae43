/**
 * What demarche keeps of a message that arrived on a reply address: who it is
 * from, which letter it answers (and how sure we are), what kind of message
 * it is, the new text without the quoted letter, the attachments' names and
 * sizes, and where the raw message is kept for staff.
 */

/**
 * human: a person answered; auto-reply: out-of-office or acknowledgement;
 * bounce: a delivery-status report (never counted: SES events decide
 * bounces); forward: our letter passed on; malformed: could not be read into
 * a message with a text part; rejected: refused unread or half-read (over a
 * limit, over the time budget, spam or virus verdict FAIL).
 */
export const REPLY_KINDS = [
  'human',
  'auto-reply',
  'bounce',
  'forward',
  'malformed',
  'rejected',
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

/**
 * How a message was attached to a recipient. `token`: the signed reply
 * address (strong); `message-id`: In-Reply-To/References name a letter we sent
 * (strong); `sender`: only the From address is one of the campaign's
 * recipients (weak: attached, unconfirmed, only when the sender's domain
 * authenticated the message; else not attached at all); `none`: not attached
 * (a tampered token never matches). Only a strong or a confirmed match counts.
 */
export interface ReplyMatch {
  by: 'token' | 'message-id' | 'sender' | 'none';
  strength: 'strong' | 'weak' | 'none';
  /** Why it matched or did not, in words staff can read. */
  detail: string;
  /** For `sender` matches: whether DMARC passed or DKIM aligned with the From domain. */
  senderAuthenticated?: boolean;
  /** For the recipient a weak match points at (also when it is not attached). */
  candidate?: { campaignId: string; recipientId: string };
  /** Set when staff confirmed a weak match by hand (audited); then it counts. */
  confirmedBy?: string;
  confirmedAt?: string;
}

export type AuthVerdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';

/**
 * Whether the message is from whom it says, as the receiving server judged
 * it: SES's receipt verdicts and its Authentication-Results header in AWS, the
 * local SMTP server's verification (mailauth) locally.
 */
export interface Authenticity {
  /** Who judged (the receiving server's authserv-id), or 'not checked'. */
  checkedBy: string;
  spf: AuthVerdict;
  dkim: AuthVerdict;
  dmarc: AuthVerdict;
  spam: AuthVerdict;
  virus: AuthVerdict;
  /** Domains whose DKIM signature passed. */
  dkimDomains: string[];
  /** The From address's domain. */
  fromDomain?: string;
  /** True when DMARC passed or a passing DKIM signature's domain aligns with the From domain. */
  senderAuthenticated: boolean;
  /** One line for staff: what passed, what failed. */
  summary: string;
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
  /** For kinds `rejected` and `malformed`: why the message could not be read (the defect). */
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
  /** The authenticity verdict this reply was judged with (see Authenticity). */
  authenticity?: Authenticity;
  /** Images the HTML shows by cid: (part of the body, not attachments). */
  inlineImages?: number;
  /** Set once the reply was forwarded to the campaign's staff address. */
  forwardedAt?: string;
  /** The first staff member who opened it, and when (kept: later readers do not replace it). */
  readBy?: string;
  readAt?: string;
  /** Who marked it handled (answered, passed on), and when; absent: still to handle. */
  handledBy?: string;
  handledAt?: string;
}
