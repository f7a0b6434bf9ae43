import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/core/campaign.js';
import { dueActions } from '../../../functions/core/lifecycle.js';

const now = new Date('2027-01-10T08:00:00Z');
function campaign(id: string, status: Campaign['status'], deadline: string, scheduledAt?: string) {
  return {
    id,
    status,
    statement: { deadline },
    ...(scheduledAt ? { scheduledAt } : {}),
  } as unknown as Campaign;
}

describe('what the scheduler must do', () => {
  it('launches scheduled campaigns whose time has come, and only those', () => {
    const out = dueActions(
      [
        campaign('due', 'scheduled', '2027-01-10T09:00:00Z', '2027-01-10T08:00:00Z'),
        campaign('early', 'scheduled', '2027-01-10T09:00:00Z', '2027-01-10T08:00:01Z'),
        campaign('draft', 'draft', '2027-01-10T09:00:00Z'),
      ],
      now,
    );
    expect(out).toEqual([{ action: 'launch', campaignId: 'due' }]);
  });

  it('expires scheduled, sending and paused campaigns at their deadline, never launches them', () => {
    const out = dueActions(
      [
        campaign('late-scheduled', 'scheduled', '2027-01-10T08:00:00Z', '2027-01-10T07:00:00Z'),
        campaign('sending', 'sending', '2027-01-10T07:59:59Z'),
        campaign('paused', 'paused', '2027-01-10T07:00:00Z'),
        campaign('done', 'completed', '2027-01-10T07:00:00Z'),
        campaign('running', 'sending', '2027-01-10T08:00:01Z'),
      ],
      now,
    );
    expect(out).toEqual([
      { action: 'expire', campaignId: 'late-scheduled' },
      { action: 'expire', campaignId: 'sending' },
      { action: 'expire', campaignId: 'paused' },
    ]);
  });
});
