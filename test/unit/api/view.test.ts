import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupsOf, roleOf } from '../../../functions/api/auth.js';
import { errorResponse, STATUS_BY_CODE } from '../../../functions/api/errors.js';
import { csvCell, funnel, SeriesBuilder, SplitBuilder } from '../../../functions/api/view.js';
import {
  emptyCounters,
  type Campaign,
  type CampaignRecipient,
} from '../../../functions/core/campaign.js';
import {
  CampaignStateError,
  DemarcheError,
  NotFoundError,
} from '../../../functions/core/errors.js';

const campaign = (over: Partial<Campaign> = {}): Campaign =>
  ({
    id: 'c1',
    status: 'sending',
    languages: ['en'],
    recipientCount: 10,
    dryRun: false,
    createdAt: '2027-01-01T08:00:00.000Z',
    launchedAt: '2027-01-01T09:00:00.000Z',
    statement: { deadline: '2027-01-01T19:00:00.000Z' },
    ...over,
  }) as Campaign;

const rcpt = (over: Partial<CampaignRecipient> & Record<string, unknown>): CampaignRecipient =>
  ({
    id: 'r',
    email: 'a@b.org',
    name: 'A',
    group: 'ngo',
    campaignId: 'c1',
    state: 'pending',
    ...over,
  }) as CampaignRecipient;

describe('staff roles from cognito:groups', () => {
  it('reads the group claim in every shape it arrives in', () => {
    expect(groupsOf(['viewer', 'campaigner'])).toEqual(['viewer', 'campaigner']);
    expect(groupsOf('[campaigner viewer]')).toEqual(['campaigner', 'viewer']);
    expect(groupsOf('["viewer"]')).toEqual(['viewer']);
    expect(groupsOf('viewer,campaigner')).toEqual(['viewer', 'campaigner']);
    expect(groupsOf(undefined)).toEqual([]);
    expect(groupsOf(42)).toEqual([]);
  });

  it('gives the highest demarche role, and none for other groups', () => {
    expect(roleOf(['viewer', 'campaigner'])).toBe('campaigner');
    expect(roleOf(['viewer'])).toBe('viewer');
    expect(roleOf(['admins', 'campaigners'])).toBeUndefined();
  });
});

describe('API errors', () => {
  it('maps known codes to their status and keeps the message; hides anything else behind a 500', () => {
    const conflict = errorResponse(
      new CampaignStateError('c1', 'cannot pause a completed campaign'),
    );
    expect(conflict.statusCode).toBe(409);
    expect(JSON.parse(conflict.body!)).toMatchObject({
      code: 'CAMPAIGN_STATE',
      message: 'Campaign c1: cannot pause a completed campaign',
    });
    expect(errorResponse(new NotFoundError('campaign', 'x')).statusCode).toBe(404);
    const internal = errorResponse(new Error('connect ECONNREFUSED 10.0.0.1:8000'));
    expect(internal.statusCode).toBe(500);
    expect(internal.body).not.toContain('ECONNREFUSED');
    expect(errorResponse(new DemarcheError('MAIL_THROTTLED', 'slow down')).statusCode).toBe(500);
    expect(STATUS_BY_CODE.UNAUTHENTICATED).toBe(401);
    expect(STATUS_BY_CODE.FORBIDDEN).toBe(403);
  });
});

describe('the funnel, splits and series', () => {
  it('reads the funnel from the counters, human opens only', () => {
    const c = {
      ...emptyCounters(),
      sent: 9,
      delivered: 8,
      openedUnique: 3,
      openedMachine: 4,
      bouncedHard: 1,
      bouncedSoft: 1,
      replied: 2,
    };
    expect(funnel(campaign(), c)).toMatchObject({
      recipients: 10,
      sent: 9,
      delivered: 8,
      opened: 3,
      openedMachine: 4,
      bounced: 2,
      replied: 2,
    });
  });

  it('splits by group and country from recipient records', () => {
    const b = new SplitBuilder();
    b.add(
      rcpt({
        group: 'minister',
        country: 'FR',
        state: 'sent',
        sentAt: 'x',
        deliveredAt: 'y',
        openedAt: 'z',
      }),
    );
    b.add(rcpt({ group: 'minister', country: 'DE', state: 'sent', sentAt: 'x' }));
    b.add(rcpt({ group: 'ngo', country: 'FR', state: 'pending', repliedAt: 'r' }));
    const { byGroup, byCountry } = b.result();
    expect(byGroup).toEqual([
      expect.objectContaining({
        key: 'minister',
        recipients: 2,
        sent: 2,
        delivered: 1,
        opened: 1,
        replied: 0,
      }),
      expect.objectContaining({ key: 'ngo', recipients: 1, sent: 0, replied: 1 }),
    ]);
    expect(byCountry.map((r) => [r.key, r.recipients])).toEqual([
      ['FR', 2],
      ['DE', 1],
    ]);
  });

  it('counts cumulatively over time and ends at the deadline when it has passed', () => {
    const b = new SeriesBuilder();
    b.add(rcpt({ sentAt: '2027-01-01T09:30:00.000Z', deliveredAt: '2027-01-01T09:31:00.000Z' }));
    b.add(rcpt({ sentAt: '2027-01-01T10:30:00.000Z', repliedAt: '2027-01-01T18:00:00.000Z' }));
    const s = b.result(campaign(), new Date('2027-01-02T00:00:00Z'), 10) as {
      t: number[];
      sent: number[];
      replied: number[];
      deadline: number;
    };
    expect(s.t).toHaveLength(11);
    expect(s.t.at(-1)).toBe(s.deadline);
    expect(s.sent[0]).toBe(0);
    expect(s.sent.at(-1)).toBe(2);
    expect(s.replied.at(-1)).toBe(1);
    expect([...s.sent].sort((a, b) => a - b)).toEqual(s.sent);
  });
});

describe('CSV cells', () => {
  it('round-trips any text through a CSV parser, formulas neutralised', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const [row] = parse(`${csvCell(value)},end\r\n`, { relax_quotes: false }) as string[][];
        const expected = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
        expect(row).toEqual([expected, 'end']);
      }),
    );
  });
});
