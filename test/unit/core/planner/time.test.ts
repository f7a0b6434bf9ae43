import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFICE_HOURS,
  inOfficeHours,
  instantOf,
  nextOfficeTime,
  officeWindows,
  parseOfficeHours,
} from '../../../../functions/core/planner/time.js';
import {
  COUNTRY_ZONES,
  isKnownZone,
  MULTI_ZONE_CAPITALS,
} from '../../../../functions/core/planner/zones.js';

describe('wall-clock time in a zone', () => {
  it('finds the instant of a local time on either side of a DST change', () => {
    expect(new Date(instantOf('Europe/Brussels', 2027, 3, 26, 8 * 60)).toISOString()).toBe(
      '2027-03-26T07:00:00.000Z',
    );
    expect(new Date(instantOf('Europe/Brussels', 2027, 3, 29, 8 * 60)).toISOString()).toBe(
      '2027-03-29T06:00:00.000Z',
    );
    expect(new Date(instantOf('Asia/Tokyo', 2027, 3, 29, 8 * 60)).toISOString()).toBe(
      '2027-03-28T23:00:00.000Z',
    );
  });

  it('moves a time skipped by the clocks going forward to after the skip, and takes the first of a repeated time', () => {
    // 02:30 does not exist in Brussels on 28 March 2027; it reads as 03:30 CEST.
    expect(new Date(instantOf('Europe/Brussels', 2027, 3, 28, 150)).toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
    // 02:30 happens twice on 31 October 2027; the first is still CEST.
    expect(new Date(instantOf('Europe/Brussels', 2027, 10, 31, 150)).toISOString()).toBe(
      '2027-10-31T00:30:00.000Z',
    );
  });

  it('lists office windows only on working days, clipped to the range', () => {
    const from = Date.parse('2027-03-05T12:00:00Z'); // Friday 13:00 Brussels
    const to = Date.parse('2027-03-09T10:00:00Z'); // Tuesday 11:00 Brussels
    const ws = officeWindows('Europe/Brussels', DEFAULT_OFFICE_HOURS, from, to).map((w) => [
      new Date(w.open).toISOString(),
      new Date(w.close).toISOString(),
    ]);
    expect(ws).toEqual([
      ['2027-03-05T12:00:00.000Z', '2027-03-05T17:00:00.000Z'],
      ['2027-03-08T07:00:00.000Z', '2027-03-08T17:00:00.000Z'],
      ['2027-03-09T07:00:00.000Z', '2027-03-09T10:00:00.000Z'],
    ]);
  });

  it('tells a sender whether an office is open and when it next opens', () => {
    const sat = Date.parse('2027-03-06T10:00:00Z');
    expect(inOfficeHours('Europe/Brussels', DEFAULT_OFFICE_HOURS, sat)).toBe(false);
    expect(
      new Date(nextOfficeTime('Europe/Brussels', DEFAULT_OFFICE_HOURS, sat)).toISOString(),
    ).toBe('2027-03-08T07:00:00.000Z');
    const mon = Date.parse('2027-03-08T09:15:00Z');
    expect(inOfficeHours('Europe/Brussels', DEFAULT_OFFICE_HOURS, mon)).toBe(true);
    expect(nextOfficeTime('Europe/Brussels', DEFAULT_OFFICE_HOURS, mon)).toBe(mon);
  });
});

describe('office hours as a campaigner writes them', () => {
  it('reads windows and days', () => {
    expect(parseOfficeHours('09:30-17:00', 'mon,wed-fri')).toEqual({
      start: 570,
      end: 1020,
      days: [1, 3, 4, 5],
    });
    expect(parseOfficeHours('08:00-18:00', 'sun-thu')).toEqual({
      start: 480,
      end: 1080,
      days: [0, 1, 2, 3, 4],
    });
  });

  it('refuses what it cannot read, naming the option', () => {
    expect(() => parseOfficeHours('18:00-08:00')).toThrow(
      /window: "18:00-08:00" ends before it starts/,
    );
    expect(() => parseOfficeHours('8-18')).toThrow(/window: "8" is not a time of day/);
    expect(() => parseOfficeHours('08:00-25:00')).toThrow(/not a time of day/);
    expect(() => parseOfficeHours('08:00-18:00', 'mon-fry')).toThrow(
      /days: "fry" is not a weekday/,
    );
  });
});

describe('the country zone table', () => {
  it('names only zones this runtime knows, and a zone for every multi-zone country', () => {
    for (const [country, zone] of Object.entries(COUNTRY_ZONES)) {
      expect(isKnownZone(zone), `${country} → ${zone}`).toBe(true);
    }
    for (const c of Object.keys(MULTI_ZONE_CAPITALS)) expect(COUNTRY_ZONES[c]).toBeDefined();
  });
});
