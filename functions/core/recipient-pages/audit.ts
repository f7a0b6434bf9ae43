/**
 * The audit log's line for a recipient's own choice on their unsubscribe
 * page: who (the recipient's id, never the address: audit entries are never
 * erased, addresses must be when a person is forgotten), what and when. The
 * events function writes it once the choice is applied.
 */
import type { EngagementEvent } from '../events/model.js';
import type { AuditEntry } from '../governance/model.js';

/** The entry for an unsubscribe or an undo that came from our page or one-click; undefined for anything else. */
export function choiceAudit(
  e: Pick<EngagementEvent, 'type' | 'source' | 'scope' | 'at' | 'campaignId' | 'recipientId'>,
): AuditEntry | undefined {
  if (e.source !== 'unsubscribe' || !e.campaignId || !e.recipientId) return undefined;
  if (e.type !== 'unsubscribe' && e.type !== 'resubscribe') return undefined;
  const base = { campaignId: e.campaignId, at: e.at, actor: `recipient ${e.recipientId}` };
  if (e.type === 'resubscribe')
    return {
      ...base,
      action: 'unsubscribe-undone',
      detail: 'the recipient undid their unsubscribe: letters may reach them again',
    };
  return {
    ...base,
    action: 'unsubscribed',
    detail:
      e.scope === 'followups'
        ? 'the recipient stopped the follow-ups of this campaign'
        : 'the recipient stopped every letter of the coalition',
  };
}
