import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlanInputError } from '../../../../functions/core/planner/errors.js';
import { formatPlan } from '../../../../functions/core/planner/format.js';
import {
  type Plan,
  type PlanOptions,
  type PlanRecipient,
  planSendOut,
} from '../../../../functions/core/planner/plan.js';
import { COUNTRY_ZONES } from '../../../../functions/core/planner/zones.js';

/**
 * Office hours read independently of the planner's own arithmetic: the
 * weekday and wall-clock time Intl prints for the instant in the zone.
 */
function localClock(zone: string, iso: string): { weekday: string; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { weekday: get('weekday'), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

function insideOfficeHours(zone: string, iso: string, start = 8 * 60, end = 18 * 60): boolean {
  const { weekday, minute } = localClock(zone, iso);
  return !['Sat', 'Sun'].includes(weekday) && minute >= start && minute < end;
}

/** Checks what every plan promises, whatever its inputs. */
function checkPromises(plan: Plan, recipients: PlanRecipient[], o: PlanOptions): void {
  const ids = new Set(recipients.map((r) => r.id));
  const seen = new Set<string>();
  const interval = Math.ceil(1000 / o.rate);
  let previous = -Infinity;
  const times: number[] = [];
  for (const s of plan.sends) {
    expect(ids.has(s.recipientId)).toBe(true);
    expect(seen.has(s.recipientId)).toBe(false);
    seen.add(s.recipientId);
    const t = Date.parse(s.at);
    expect(t).toBeLessThan(o.deadline.getTime());
    expect(t).toBeGreaterThanOrEqual(o.earliestStart.getTime());
    expect(t - previous).toBeGreaterThanOrEqual(interval - 1);
    previous = t;
    times.push(t);
    const h = o.hours ?? { start: 480, end: 1080, days: [1, 2, 3, 4, 5] };
    const { weekday, minute } = localClock(s.zone, s.at);
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(weekday);
    expect(h.days).toContain(day);
    expect(minute).toBeGreaterThanOrEqual(h.start);
    expect(minute).toBeLessThan(h.end);
  }
  if (o.quota !== undefined) {
    // No 24-hour window holds more than the quota.
    for (let i = o.quota; i < times.length; i++) {
      expect(times[i]! - times[i - o.quota]!).toBeGreaterThanOrEqual(24 * 3600_000);
    }
  }
  expect(plan.placed).toBe(plan.sends.length);
  expect(plan.feasible).toBe(plan.placed === recipients.length);
}

const ministries = (countries: string[], n: number): PlanRecipient[] =>
  Array.from({ length: n }, (_, i) => ({ id: `r${i}`, country: countries[i % countries.length]! }));

// Three zones: Western (PT, IE), Central (BE, FR, DE), Eastern European time (FI, EE, BG, GR).
const THREE_ZONES = ['PT', 'BE', 'FI', 'IE', 'FR', 'EE', 'DE', 'BG', 'GR'];

describe('planning a send-out', () => {
  it('places 27 ministries across three time zones inside office hours, two working days before the deadline', () => {
    const recipients = ministries(THREE_ZONES, 27);
    const o: PlanOptions = {
      // One letter every 40 minutes: 18 hours of sending, more than one day's office hours.
      rate: 1 / 2400,
      // Monday 06:00 Brussels; the deadline is Wednesday 08:00 Brussels, two working days out.
      earliestStart: new Date('2027-03-08T06:00:00+01:00'),
      deadline: new Date('2027-03-10T08:00:00+01:00'),
    };
    const plan = planSendOut(recipients, o);
    expect(plan.feasible).toBe(true);
    expect(plan.sends).toHaveLength(27);
    checkPromises(plan, recipients, o);
    for (const s of plan.sends) {
      const country = recipients.find((r) => r.id === s.recipientId)!.country!;
      expect(s.zone).toBe(COUNTRY_ZONES[country]);
      expect(insideOfficeHours(s.zone, s.at)).toBe(true);
    }
    expect(new Set(plan.zones.map((z) => z.zone.split('/')[0]))).toEqual(new Set(['Europe']));
    // It needs both days: the first letter goes Monday at 08:00 Helsinki, the last on Tuesday.
    expect(plan.start).toBe('2027-03-08T06:00:00.000Z');
    expect(localClock('Europe/Brussels', plan.finish!).weekday).toBe('Tue');
    expect(Date.parse(plan.latestStart!)).toBeGreaterThanOrEqual(Date.parse(plan.start!));
    expect(formatPlan(plan)).toMatch(
      /^All 27 letters land inside office hours by Tue 9 Mar \d\d:\d\d Brussels time \(deadline Wed 10 Mar 08:00 Brussels time\)/,
    );
  });

  it('serves the eastern offices before they close', () => {
    // Helsinki closes at 16:00 UTC, Lisbon at 18:00 UTC: in the last two hours only Lisbon is open.
    const recipients = [
      ...ministries(['FI'], 10),
      ...ministries(['PT'], 10).map((r) => ({ ...r, id: `p${r.id}` })),
    ];
    const o: PlanOptions = {
      rate: 1 / 1800,
      earliestStart: new Date('2027-03-08T08:00:00Z'),
      deadline: new Date('2027-03-08T18:00:00Z'),
    };
    const plan = planSendOut(recipients, o);
    expect(plan.feasible).toBe(true);
    checkPromises(plan, recipients, o);
    const lastFi = plan.sends.filter((s) => s.zone === 'Europe/Helsinki').pop()!;
    expect(Date.parse(lastFi.at)).toBeLessThan(Date.parse('2027-03-08T16:00:00Z'));
  });

  it('refuses a plan with too many recipients for the rate, with the shortfall and what would fix it', () => {
    const recipients = ministries(THREE_ZONES, 500);
    const o: PlanOptions = {
      rate: 10 / 3600,
      earliestStart: new Date('2027-03-08T06:00:00+01:00'),
      deadline: new Date('2027-03-10T08:00:00+01:00'),
    };
    const plan = planSendOut(recipients, o);
    expect(plan.feasible).toBe(false);
    checkPromises(plan, recipients, o);
    const s = plan.shortfall!;
    // Some office is open 06:00–18:00 UTC, at 10 an hour: 120 on Monday, 120 on Tuesday,
    // and 10 in Helsinki's first hour on Wednesday before the deadline (07:00 UTC).
    expect(plan.placed).toBe(250);
    expect(s.missed).toBe(250);
    expect(Date.parse(s.wouldFinish!)).toBeGreaterThan(o.deadline.getTime());
    expect(s.lateByMinutes).toBeGreaterThan(0);
    // The rate it names is enough, and a tenth less is not.
    expect(s.rateNeeded).toBeGreaterThan(o.rate);
    expect(planSendOut(recipients, { ...o, rate: s.rateNeeded! }).feasible).toBe(true);
    expect(planSendOut(recipients, { ...o, rate: s.rateNeeded! * 0.9 }).feasible).toBe(false);
    // So is the earlier start it names.
    expect(Date.parse(plan.latestStart!)).toBeLessThan(o.earliestStart.getTime());
    const earlier = { ...o, earliestStart: new Date(plan.latestStart!) };
    expect(planSendOut(recipients, earlier).feasible).toBe(true);
    const text = formatPlan(plan);
    expect(text).toContain('Cannot land all 500 letters');
    expect(text).toContain('250 would miss it');
    expect(text).toMatch(
      /send at [\d.]+ letters\/(minute|hour) or faster \(now 10 letters\/hour\)/,
    );
    expect(text).toMatch(/start by \w{3} \d+ \w{3} \d\d:\d\d Brussels time/);
  });

  it('names the quota when the daily quota, not the rate, is what is short', () => {
    const recipients = ministries(THREE_ZONES, 300);
    const o: PlanOptions = {
      rate: 1,
      quota: 100,
      earliestStart: new Date('2027-03-08T06:00:00+01:00'),
      deadline: new Date('2027-03-10T08:00:00+01:00'),
    };
    const plan = planSendOut(recipients, o);
    expect(plan.feasible).toBe(false);
    checkPromises(plan, recipients, o);
    expect(plan.shortfall!.rateNeeded).toBeUndefined();
    const q = plan.shortfall!.quotaNeeded!;
    expect(q).toBeGreaterThan(100);
    expect(planSendOut(recipients, { ...o, quota: q }).feasible).toBe(true);
    expect(planSendOut(recipients, { ...o, quota: q - 1 }).feasible).toBe(false);
    expect(formatPlan(plan)).toContain(`a 24-hour quota of ${q} (now 100)`);
  });

  it('sends nothing at weekends: a Friday evening start resumes Monday 08:00 local', () => {
    const recipients = ministries(['BE', 'PT'], 20);
    const o: PlanOptions = {
      rate: 2 / 3600,
      // Friday 16:30 Brussels (15:30 Lisbon).
      earliestStart: new Date('2027-03-05T16:30:00+01:00'),
      deadline: new Date('2027-03-10T09:00:00+01:00'),
    };
    const plan = planSendOut(recipients, o);
    expect(plan.feasible).toBe(true);
    checkPromises(plan, recipients, o);
    const days = plan.sends.map((s) => localClock(s.zone, s.at).weekday);
    expect(days).not.toContain('Sat');
    expect(days).not.toContain('Sun');
    // Friday takes three letters (16:30, 17:00, 17:30 Brussels time), then Lisbon's last hour.
    expect(days.filter((d) => d === 'Fri')).toHaveLength(5);
    const monday = plan.sends.find((s) => localClock(s.zone, s.at).weekday === 'Mon')!;
    expect(monday.at).toBe('2027-03-08T07:00:00.000Z'); // 08:00 in Brussels, which opens first
  });

  it('follows daylight saving time: offices open an hour earlier in UTC after the clocks go forward', () => {
    const recipients = ministries(['BE'], 6);
    const o: PlanOptions = {
      rate: 1 / 3600,
      // Friday 26 March 2027, 16:00 Brussels (CET); the clocks go forward on Sunday 28 March.
      earliestStart: new Date('2027-03-26T16:00:00+01:00'),
      deadline: new Date('2027-03-31T09:00:00+02:00'),
    };
    const plan = planSendOut(recipients, o);
    checkPromises(plan, recipients, o);
    expect(plan.sends.map((s) => s.at)).toEqual([
      '2027-03-26T15:00:00.000Z',
      '2027-03-26T16:00:00.000Z',
      '2027-03-29T06:00:00.000Z', // Monday 08:00 CEST
      '2027-03-29T07:00:00.000Z',
      '2027-03-29T08:00:00.000Z',
      '2027-03-29T09:00:00.000Z',
    ]);
  });

  it('follows each zone’s own DST dates (the US changes two weeks before Europe)', () => {
    const recipients = [{ id: 'us', country: 'US' }];
    const before = planSendOut(recipients, {
      rate: 1,
      earliestStart: new Date('2027-03-12T00:00:00Z'),
      deadline: new Date('2027-03-20T00:00:00Z'),
    });
    expect(before.start).toBe('2027-03-12T13:00:00.000Z'); // Friday 08:00 EST
    const after = planSendOut(recipients, {
      rate: 1,
      earliestStart: new Date('2027-03-13T00:00:00Z'),
      deadline: new Date('2027-03-20T00:00:00Z'),
    });
    expect(after.start).toBe('2027-03-15T12:00:00.000Z'); // Monday 08:00 EDT
    const autumn = planSendOut([{ id: 'be', country: 'BE' }], {
      rate: 1,
      earliestStart: new Date('2027-10-30T00:00:00Z'),
      deadline: new Date('2027-11-05T00:00:00Z'),
    });
    expect(autumn.start).toBe('2027-11-01T07:00:00.000Z'); // Monday 08:00 CET, after the clocks went back
  });

  it('says which zones have no office hours left before the deadline', () => {
    // Saturday start, deadline Sunday: no office is open at all.
    const plan = planSendOut(ministries(['JP', 'BE'], 2), {
      rate: 1,
      earliestStart: new Date('2027-03-06T06:00:00Z'),
      deadline: new Date('2027-03-07T20:00:00Z'),
    });
    expect(plan.feasible).toBe(false);
    expect(plan.shortfall!.closedZones.sort()).toEqual(['Asia/Tokyo', 'Europe/Brussels']);
    expect(plan.shortfall!.rateNeeded).toBeUndefined();
    expect(Date.parse(plan.latestStart!)).toBeLessThan(Date.parse('2027-03-06T00:00:00Z'));
    expect(formatPlan(plan)).toContain('No office hours in Asia/Tokyo');
  });

  it('plans recipients without a known country in the plan’s zone, and says so', () => {
    const plan = planSendOut(
      [{ id: 'a', country: 'ZZ' }, { id: 'b' }, { id: 'c', country: 'fi' }],
      {
        rate: 1,
        earliestStart: new Date('2027-03-08T00:00:00Z'),
        deadline: new Date('2027-03-09T00:00:00Z'),
      },
    );
    expect(plan.assumed).toEqual([
      { country: 'ZZ', letters: 1 },
      { country: '(none)', letters: 1 },
    ]);
    expect(plan.sends.find((s) => s.recipientId === 'a')!.zone).toBe('Europe/Brussels');
    expect(plan.sends.find((s) => s.recipientId === 'c')!.zone).toBe('Europe/Helsinki');
    expect(formatPlan(plan)).toContain(
      'country ZZ (not in the zone table) planned in Europe/Brussels',
    );
  });

  it('refuses options it cannot plan with, naming the option', () => {
    const base = { rate: 1, earliestStart: new Date(), deadline: new Date(Date.now() + 86400_000) };
    expect(() => planSendOut([], { ...base, rate: 0 })).toThrow(/rate: must be a positive number/);
    expect(() => planSendOut([], { ...base, quota: 1.5 })).toThrow(PlanInputError);
    expect(() => planSendOut([], { ...base, zone: 'Mars/Olympus' })).toThrow(
      /zone: "Mars\/Olympus"/,
    );
    expect(() => planSendOut([], { ...base, deadline: new Date('nope') })).toThrow(/deadline/);
  });

  it('keeps every promise for any recipients, pace and dates (property)', () => {
    const countries = Object.keys(COUNTRY_ZONES);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...countries), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 3600 * 4 }),
        fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
        fc.integer({ min: 0, max: 14 * 24 }),
        fc.integer({ min: 1, max: 10 * 24 }),
        (cs, secondsPerLetter, quota, startHours, spanHours) => {
          const recipients = cs.map((country, i) => ({ id: `r${i}`, country }));
          const earliestStart = new Date(
            Date.parse('2027-03-01T00:00:00Z') + startHours * 3600_000,
          );
          const o: PlanOptions = {
            rate: 1 / secondsPerLetter,
            ...(quota !== undefined ? { quota } : {}),
            earliestStart,
            deadline: new Date(earliestStart.getTime() + spanHours * 3600_000),
          };
          const plan = planSendOut(recipients, o);
          checkPromises(plan, recipients, o);
          if (!plan.feasible && plan.shortfall!.rateNeeded !== undefined) {
            expect(
              planSendOut(recipients, { ...o, rate: plan.shortfall!.rateNeeded }).feasible,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
