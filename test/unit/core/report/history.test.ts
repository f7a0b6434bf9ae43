import { describe, expect, it } from 'vitest';
import {
  type Campaign,
  type CampaignRecipient,
  emptyCounters,
} from '../../../../functions/core/campaign.js';
import { replyHistoryText } from '../../../../functions/core/directory/history.js';
import type { Target } from '../../../../functions/core/directory/model.js';
import { ReportHistory } from '../../../../functions/core/report/history.js';
import { renderReportHtml } from '../../../../functions/core/report/html.js';
import { buildReport } from '../../../../functions/core/report/model.js';

const target = (id: string, email: string): Target => ({
  id,
  version: 1,
  createdAt: '2026-01-01T09:00:00Z',
  updatedAt: '2026-01-01T09:00:00Z',
  updatedBy: 'alice',
  kind: 'person',
  name: id,
  group: 'minister',
  email,
  tags: [],
});

/** A letter of an earlier campaign: sent at 08:00, answered by a person `after` hours later. */
const earlier = (email: string, group: CampaignRecipient['group'], after?: number) =>
  ({
    id: `r-${email}`,
    campaignId: 'c-old',
    email,
    name: email,
    group,
    state: 'sent',
    sentAt: '2026-10-05T08:00:00Z',
    deliveredAt: '2026-10-05T08:01:00Z',
    ...(after !== undefined
      ? {
          repliedAt: new Date(Date.parse('2026-10-05T08:00:00Z') + after * 3_600_000).toISOString(),
        }
      : {}),
  }) as CampaignRecipient;

const campaign = {
  id: 'c-now',
  status: 'completed',
  statement: {
    title: 'Belarus',
    subject: 'Belarus',
    from: { name: 'Forum', address: 'forum@demarche.example.org' },
    replyToDomain: 'replies.example.org',
    deadline: '2026-12-10T09:00:00+01:00',
    language: 'en',
    signatories: [],
    body: [],
  },
  languages: ['en'],
  recipientCount: 3,
  dryRun: false,
  createdAt: '2026-12-01T07:00:00Z',
  launchedAt: '2026-12-01T07:00:00Z',
} as unknown as Campaign;

describe('who usually replies, in the report', () => {
  it('says "usually" only when at least half of the earlier letters were answered, else how many were', () => {
    expect(replyHistoryText({ letters: 4, humanReplies: 3, medianHoursToReply: 5.5 })).toBe(
      'usually replies within 6 hours (3 of 4 earlier letters answered)',
    );
    expect(replyHistoryText({ letters: 2, humanReplies: 1, medianHoursToReply: 70 }, true)).toBe(
      'usually reply within 3 days (1 of 2 earlier letters answered)',
    );
    expect(replyHistoryText({ letters: 6, humanReplies: 1, medianHoursToReply: 0.5 })).toBe(
      '1 of 6 earlier letters answered, within an hour (median)',
    );
    expect(replyHistoryText({ letters: 5, humanReplies: 0 })).toBeUndefined();
  });

  it("attaches each row's target history and each group's, and the page says them", () => {
    const se = target('t-se', 'minister@mfa.se.example.org');
    const fr = target('t-fr', 'ministre@diplomatie.fr.example.org');
    const history = new ReportHistory();
    // Sweden answered two of two earlier letters (4 and 8 hours); France none of three.
    history.add(earlier(se.email, 'minister', 4), se);
    history.add(earlier(se.email, 'minister', 8), se);
    for (let i = 0; i < 3; i++) history.add(earlier(fr.email, 'minister'), fr);
    // An NGO outside the directory: it counts for its group, not as a target.
    history.add(earlier('office@ngo.example.org', 'ngo', 30), undefined);
    const model = buildReport({
      campaign,
      counters: { ...emptyCounters(), sent: 3 },
      recipients: [
        {
          ...earlier(se.email, 'minister'),
          campaignId: 'c-now',
          targetId: se.id,
          name: 'Tobias Berg',
        },
        { ...earlier(fr.email, 'minister'), campaignId: 'c-now', name: 'Claire Lefèvre' },
        { ...earlier('office@ngo.example.org', 'ngo'), campaignId: 'c-now', name: 'Civic Network' },
      ] as CampaignRecipient[],
      replies: [],
      generatedAt: new Date('2026-12-02T00:00:00Z'),
    });
    const byEmail = new Map([se, fr].map((t) => [t.email, t.id]));
    const withHistory = history.attach(model, (row) => row.targetId ?? byEmail.get(row.email));
    const rows = withHistory.groups.flatMap((g) => g.countries.flatMap((c) => c.rows));
    expect(Object.fromEntries(rows.map((r) => [r.name, r.history]))).toEqual({
      'Tobias Berg': { letters: 2, humanReplies: 2, medianHoursToReply: 6 },
      'Claire Lefèvre': { letters: 3, humanReplies: 0 },
      'Civic Network': undefined,
    });
    expect(withHistory.groups.map((g) => [g.group, g.history])).toEqual([
      ['minister', { letters: 5, humanReplies: 2, medianHoursToReply: 6 }],
      ['ngo', { letters: 1, humanReplies: 1, medianHoursToReply: 30 }],
    ]);

    const html = renderReportHtml(withHistory);
    const berg = html.slice(html.indexOf('<strong>Tobias Berg')).split('</tr>')[0]!;
    expect(berg).toContain('Usually replies within 6 hours (2 of 2 earlier letters answered)');
    const lefevre = html.slice(html.indexOf('<strong>Claire Lefèvre')).split('</tr>')[0]!;
    expect(lefevre).not.toContain('earlier letter');
    expect(html).toContain(
      'Ministers and governments: 2 of 5 earlier letters answered, within 6 hours (median).',
    );
    expect(html).toContain(
      'Member organisations usually reply within 30 hours (1 of 1 earlier letter answered).',
    );
    expect(html).toContain('“Usually replies within …” is the median time');
    // Without a history the page says nothing of it.
    expect(renderReportHtml(model)).not.toContain('earlier letter');
  });
});
