/**
 * The words staff read for a recipient's letter, in the dashboard's
 * recipients table and in the CSV export alike (the API imports this file:
 * the dashboard bundle may hold only its own sources). Pure, no imports.
 */

/** What the recipients table needs of a row (the API's recipient item). */
export interface DeliveryFacts {
  state: string;
  deliveryState?: string;
  failure?: string;
  holdUntil?: string;
  attempt?: number;
  unsubscribedAt?: string;
  /** The recipient's own latest choice (all letters, this campaign's follow-ups, or undone: none). */
  choice?: { scope: string };
  /** Why a letter bounced, was complained about or rejected (the SES diagnostic). */
  deliveryReason?: string;
}

const BAD = ['bouncedHard', 'bouncedSoft', 'complained', 'rejected'];

const STATE_TEXT: Record<string, string> = {
  pending: 'not sent yet',
  claimed: 'being sent',
  failed: 'failed',
  expired: 'not sent: the deadline passed',
  suppressed: 'not sent: on the do-not-mail list',
  unknown: 'outcome unknown',
};

const DELIVERY_TEXT: Record<string, string> = {
  delivered: 'delivered',
  bouncedHard: 'bounced (hard: the address does not exist)',
  bouncedSoft: 'bounced (soft: temporary)',
  complained: 'complained (marked as spam)',
  rejected: 'rejected by the mail service',
  delayed: 'delayed',
  sent: 'sent, no delivery report yet',
};

/**
 * Where a letter is, in words: "delivered", "bounced (hard: …): 550 user
 * unknown", "held until …" (the time as `when` writes it), "failed: …",
 * with a move to a fallback address and the recipient's unsubscribe.
 */
export function deliveryWords(r: DeliveryFacts, when: (iso: string) => string): string {
  let text: string;
  if (r.state === 'held')
    text = r.holdUntil ? `held until ${when(r.holdUntil)}` : 'held for office hours';
  else if (r.state === 'sent') {
    text = DELIVERY_TEXT[r.deliveryState ?? 'sent'] ?? r.deliveryState ?? 'sent';
    if (r.deliveryReason && BAD.includes(r.deliveryState ?? '')) text += `: ${r.deliveryReason}`;
  } else {
    text = STATE_TEXT[r.state] ?? r.state;
    if (r.state === 'failed' && r.failure) text = `failed: ${r.failure}`;
  }
  if (r.attempt) text += `; sent to fallback address ${r.attempt}`;
  const scope = r.choice ? r.choice.scope : r.unsubscribedAt ? 'all' : 'none';
  if (scope === 'all') text += '; unsubscribed';
  else if (scope === 'followups') text += '; unsubscribed from follow-ups';
  return text;
}

/** The kind of delivery a row is in, for its colour: good, bad, waiting. */
export function deliveryTone(r: DeliveryFacts): 'good' | 'bad' | 'wait' {
  if (r.state === 'sent')
    return BAD.includes(r.deliveryState ?? '')
      ? 'bad'
      : r.deliveryState === 'delivered'
        ? 'good'
        : 'wait';
  return ['failed', 'expired', 'suppressed', 'unknown'].includes(r.state) ? 'bad' : 'wait';
}
