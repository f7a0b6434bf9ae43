/**
 * A plan in the campaigner's words: "All 214 letters land by Wed 27 Jan
 * 08:00 Brussels time", or what is missing and what would fix it.
 */
import type { Plan } from './plan.js';
import { formatLocal, zoneLabel } from './time.js';
import { MULTI_ZONE_CAPITALS } from './zones.js';

/** A rate as a person reads it: per second when fast, per minute or hour when slow. */
export function formatRate(rate: number): string {
  if (rate >= 1) return `${round(rate)} letters/second`;
  if (rate * 60 >= 1) return `${round(rate * 60)} letters/minute`;
  return `${round(rate * 3600)} letters/hour`;
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function hm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function duration(minutes: number): string {
  const d = Math.floor(minutes / (24 * 60));
  const h = Math.floor((minutes % (24 * 60)) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m || (!d && !h) ? `${m} min` : '']
    .filter(Boolean)
    .join(' ');
}

/** The plan as lines of text for the terminal. */
export function formatPlan(plan: Plan): string {
  const z = plan.zone;
  const at = (iso: string) => `${formatLocal(Date.parse(iso), z)} ${zoneLabel(z)}`;
  const local = (iso: string, zone: string) => formatLocal(Date.parse(iso), zone);
  const lines: string[] = [];
  const days = plan.hours.days
    .map((d) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d])
    .join(' ');
  const limits = `${formatRate(plan.rate)}${plan.quota !== undefined ? `, at most ${plan.quota} in any 24 hours` : ''}`;
  if (plan.letters === 0) return 'No letters to plan.';
  if (plan.feasible) {
    lines.push(
      `All ${plan.letters} letters land inside office hours by ${at(plan.finish!)} (deadline ${at(plan.deadline)}).`,
    );
    lines.push(`  start       ${at(plan.start!)} (first letter)`);
    if (plan.latestStart) lines.push(`  latest start that still works: ${at(plan.latestStart)}`);
  } else {
    const s = plan.shortfall!;
    lines.push(
      `Cannot land all ${plan.letters} letters inside office hours before the deadline ${at(plan.deadline)}: ${s.missed} would miss it.`,
    );
    if (plan.placed)
      lines.push(`  ${plan.placed} fit, from ${at(plan.start!)} to ${at(plan.finish!)}.`);
    if (s.wouldFinish) {
      lines.push(
        `  Without the deadline the last letter would go out ${at(s.wouldFinish)}, ${duration(s.lateByMinutes!)} too late.`,
      );
    }
    for (const zone of s.closedZones)
      lines.push(`  No office hours in ${zone} between the start and the deadline.`);
    lines.push('  What would fix it:');
    if (s.rateNeeded !== undefined)
      lines.push(
        `    - send at ${formatRate(s.rateNeeded)} or faster (now ${formatRate(plan.rate)})`,
      );
    if (s.quotaNeeded !== undefined)
      lines.push(`    - a 24-hour quota of ${s.quotaNeeded} (now ${plan.quota})`);
    if (s.rateAndQuotaNeeded) {
      lines.push(
        `    - both ${formatRate(s.rateAndQuotaNeeded.rate)} and a 24-hour quota of ${s.rateAndQuotaNeeded.quota} (neither alone is enough)`,
      );
    }
    if (plan.latestStart) lines.push(`    - start by ${at(plan.latestStart)}`);
    if (
      s.rateNeeded === undefined &&
      s.quotaNeeded === undefined &&
      !s.rateAndQuotaNeeded &&
      !plan.latestStart
    ) {
      lines.push('    - nothing within reach: move the deadline or widen the office hours');
    }
  }
  lines.push(
    `  pace        ${limits}; office hours ${hm(plan.hours.start)}–${hm(plan.hours.end)} local, ${days}`,
  );
  lines.push('  by time zone:');
  for (const zp of plan.zones) {
    const span = zp.first
      ? `${local(zp.first, zp.zone)} → ${local(zp.last!, zp.zone)} local`
      : 'none before the deadline';
    const missed = zp.missed ? `, ${zp.missed} miss` : '';
    lines.push(
      `    ${zp.zone.padEnd(20)} ${String(zp.letters).padStart(5)} ${zp.letters === 1 ? 'letter ' : 'letters'}${missed}  ${span}  (${zp.countries.join(' ') || 'no country'})`,
    );
  }
  for (const a of plan.assumed) {
    lines.push(
      `  ${a.letters} letter(s) with ${a.country === '(none)' ? 'no country' : `country ${a.country} (not in the zone table)`} planned in ${z}.`,
    );
  }
  const multi = [...new Set(plan.zones.flatMap((zp) => zp.countries))].filter(
    (c) => MULTI_ZONE_CAPITALS[c],
  );
  if (multi.length) {
    lines.push(
      `  Countries spanning several zones use the capital's: ${multi.map((c) => `${c} ${MULTI_ZONE_CAPITALS[c]}`).join(', ')}.`,
    );
  }
  return lines.join('\n');
}
