/**
 * Attaching an inbound message to the letter it answers, strongest evidence
 * first: the signed token in the reply address; else a Message-ID we sent,
 * named by In-Reply-To/References (or inside a bounce report or an attached
 * message); else the sender's address among the campaigns' recipients, which
 * is a weaker match (a From header is easy to forge). A reply address whose
 * token fails verification is never matched by anything: it was altered.
 */
import type { KeyRing } from '../key-ring.js';
import { parseReplyAddress } from '../links.js';
import { messageIds } from './parse.js';
import type { RecipientRef, ReplyStore } from './ports.js';
import type { ReplyMatch } from './types.js';

/** SES writes its Message-ID as `<id@email.amazonses.com>` or `<id@<region>.amazonses.com>`. */
const SES_DOMAIN = /^(?:[a-z0-9-]+\.)*amazonses\.com$/i;

/** The SES message id inside a Message-ID (brackets already removed), or the id itself. */
export function sesMessageId(id: string): string {
  const at = id.lastIndexOf('@');
  if (at > 0 && SES_DOMAIN.test(id.slice(at + 1))) return id.slice(0, at);
  return id;
}

const REPLY_LOCAL = /^reply\+/i;

export interface MatchInput {
  /** Envelope recipients first, then To/Cc addresses of the message. */
  addresses: string[];
  /** Message-IDs the message refers to, nearest first. */
  referenced: string[];
  from?: string;
}

export type MatchResult = { match: ReplyMatch; ref?: RecipientRef };

/** The Message-ID headers inside an attached message or a bounce's returned headers. */
export function embeddedMessageIds(texts: string[]): string[] {
  const ids: string[] = [];
  for (const t of texts) {
    const m = /^message-id\s*:\s*(.+(?:\r?\n[ \t].+)*)/im.exec(t.slice(0, 65536));
    if (m) for (const id of messageIds(m[1])) ids.push(id);
  }
  return ids;
}

/** Finds the recipient a message answers, and says how. */
export async function matchReply(
  store: Pick<ReplyStore, 'recipientByMessageId' | 'recipientByAddress'>,
  keys: KeyRing,
  input: MatchInput,
): Promise<MatchResult> {
  const tokenAddresses = [...new Set(input.addresses.map((a) => a.trim()))].filter((a) =>
    REPLY_LOCAL.test(a),
  );
  for (const address of tokenAddresses) {
    const ref = parseReplyAddress(keys, address);
    if (ref)
      return {
        ref,
        match: { by: 'token', strength: 'strong', detail: `signed reply address ${address}` },
      };
  }
  if (tokenAddresses.length) {
    return {
      match: {
        by: 'none',
        strength: 'none',
        detail: `reply token failed verification (${tokenAddresses[0]}): altered or forged, not matched`,
      },
    };
  }

  const tried = new Set<string>();
  for (const id of input.referenced.slice(0, 10)) {
    const sesId = sesMessageId(id);
    if (tried.has(sesId)) continue;
    tried.add(sesId);
    const ref = await store.recipientByMessageId(sesId);
    if (ref)
      return {
        ref,
        match: { by: 'message-id', strength: 'strong', detail: `refers to sent message <${id}>` },
      };
  }

  if (input.from) {
    const ref = await store.recipientByAddress(input.from);
    if (ref)
      return {
        ref,
        match: {
          by: 'sender',
          strength: 'weak',
          detail: `sender ${input.from} is a recipient of this campaign (no token, no known Message-ID)`,
        },
      };
  }
  return {
    match: {
      by: 'none',
      strength: 'none',
      detail: 'no reply token, no known Message-ID, sender not among recent recipients',
    },
  };
}
