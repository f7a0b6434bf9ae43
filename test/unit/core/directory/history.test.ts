import { describe, expect, it } from 'vitest';
import type { CampaignRecipient } from '../../../../functions/core/campaign.js';
import { recipientsFrom, sinceTaken } from '../../../../functions/core/directory/campaign.js';
import { Responsiveness, usuallyWithin } from '../../../../functions/core/directory/history.js';
import type { Target } from '../../../../functions/core/directory/model.js';
import { recipientId } from '../../../../functions/core/recipients.js';

const target = (id: string, over: Partial<Target>): Target => ({
  id,
  version: 1,
  createdAt: '2026-11-01T09:00:00Z',
  updatedAt: '2026-11-01T09:00:00Z',
  updatedBy: 'alice',
  kind: 'person',
  name: id,
  group: 'minister',
  email: `${id}@mfa.example.org`,
  tags: [],
  ...over,
});

const letter = (email: string, over: Partial<CampaignRecipient> & Record<string, unknown>) =>
  ({
    id: recipientId(email),
    campaignId: 'c1',
    email,
    name: email,
    group: 'minister',
    state: 'sent',
    sentAt: '2026-11-02T08:00:00Z',
    ...over,
  }) as CampaignRecipient;

describe('who answers', () => {
  it('per institution type: delivered, human replies, the median hours to the first one, auto-acknowledgements', () => {
    const mfa = target('se', { institutionType: 'ministry', country: 'SE' });
    const pr = target('de', { institutionType: 'permanent-representation', country: 'DE' });
    const view = new Responsiveness('institutionType');
    view.add(
      letter('a@x.org', { deliveredAt: '2026-11-02T08:01:00Z', repliedAt: '2026-11-02T14:00:00Z' }),
      mfa,
      0,
    );
    view.add(
      letter('b@x.org', { deliveredAt: '2026-11-02T08:01:00Z', repliedAt: '2026-11-04T08:00:00Z' }),
      mfa,
      1,
    );
    view.add(letter('c@x.org', { deliveredAt: '2026-11-02T08:01:00Z' }), mfa, 1);
    view.add(letter('d@x.org', { deliveredAt: '2026-11-02T08:01:00Z' }), pr, 1);
    view.add(letter('e@x.org', { state: 'pending', sentAt: undefined }), pr, 0); // not sent: not a letter
    view.add(letter('f@x.org', {}), undefined, 0);
    expect(view.result()).toEqual([
      {
        key: 'ministry',
        letters: 3,
        delivered: 3,
        humanReplies: 2,
        replyRate: 0.667,
        medianHoursToReply: 27,
        autoAcknowledgements: 2,
      },
      {
        key: '(not in the directory)',
        letters: 1,
        delivered: 0,
        humanReplies: 0,
        replyRate: 0,
        autoAcknowledgements: 0,
      },
      {
        key: 'permanent-representation',
        letters: 1,
        delivered: 1,
        humanReplies: 0,
        replyRate: 0,
        autoAcknowledgements: 1,
      },
    ]);
    expect([usuallyWithin(0.4), usuallyWithin(27), usuallyWithin(60)]).toEqual([
      'within an hour',
      'within 27 hours',
      'within 3 days',
    ]);
  });
});

describe('a campaign from the directory', () => {
  const se = target('se', { tags: ['FAC'], fallbackEmails: ['registry@mfa.se.example.org'] });
  const fr = target('fr', { tags: ['fac'], version: 3 });
  const old = target('pl', { tags: ['FAC'], archived: true });

  it('takes the selected targets with their id and version, refuses an ad-hoc row the selection has', () => {
    const adHoc = [
      {
        id: recipientId('mara@ngo.example.org'),
        email: 'mara@ngo.example.org',
        name: 'Mara Vos',
        group: 'ngo' as const,
      },
      { id: recipientId(se.email), email: se.email, name: 'Tobias', group: 'minister' as const },
    ];
    const out = recipientsFrom([se, fr, old], { tags: ['FAC'] }, adHoc, [2, 3]);
    expect(out.targets).toBe(2);
    expect(out.adHoc).toBe(1);
    expect(
      out.recipients.map((r) => [r.email, (r as { targetVersion?: number }).targetVersion]),
    ).toEqual([
      ['fr@mfa.example.org', 3],
      ['se@mfa.example.org', 1],
      ['mara@ngo.example.org', undefined],
    ]);
    expect(out.recipients[1]!.fallbackEmails).toEqual(['registry@mfa.se.example.org']);
    expect(out.problems).toEqual([
      {
        line: 3,
        field: 'email',
        message:
          'email se@mfa.example.org is already in the selection (target se); the row is not added again',
      },
    ]);
  });

  it('says what changed in a target after the campaign took it, and when it is gone', () => {
    const now = { ...se, version: 3, title: 'Minister' };
    const versions = [
      {
        targetId: 'se',
        number: 2,
        at: 'x',
        by: 'bob',
        reason: 'edited',
        changes: [{ field: 'notes' as const, after: 'n' }],
      },
      {
        targetId: 'se',
        number: 3,
        at: 'y',
        by: 'bob',
        reason: 'edited',
        changes: [{ field: 'title' as const, after: 'Minister' }],
      },
    ];
    expect(sinceTaken('se', 'se', 2, now, versions)).toEqual({
      targetId: 'se',
      name: 'se',
      taken: 2,
      now: 3,
      changes: [{ field: 'title', after: 'Minister' }],
    });
    expect(sinceTaken('se', 'se', 3, now, versions)).toBeUndefined();
    expect(sinceTaken('se', 'Tobias', 1, undefined, [])).toMatchObject({ gone: true });
  });
});
