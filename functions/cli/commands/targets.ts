/**
 * `demarche targets import | list | show | export | responsiveness`: the
 * target directory through the staff API. An import prints the comparison
 * and writes nothing unless asked (`--apply all`, or the keys it printed);
 * larger applies go in parts of MAX_APPLY changes. The file is decoded here
 * as the recipients reader would (sources.ts readCsvText) and sent as text.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DirectoryDiff } from '../../core/directory/diff.js';
import type { Target, TargetVersion } from '../../core/directory/model.js';
import type { TargetLetter } from '../../core/directory/history.js';
import type { RowProblem } from '../../core/errors.js';
import { readCsvText } from '../sources.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

type Opts = TargetOptions & { json?: boolean };
const MAX_APPLY = 5000;
const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

const show = (v: string | undefined) => (v === undefined ? '(empty)' : JSON.stringify(v));

/** The comparison as a person reads it: one line per change, its key to apply it by. */
export function formatDiff(diff: DirectoryDiff, problems: RowProblem[], file: string): string {
  const lines: string[] = [];
  for (const p of problems) lines.push(`${file}:${p.line}: skipped: ${p.message}`);
  for (const e of diff.added)
    lines.push(`new      ${e.fields.name} <${e.fields.email}>  (line ${e.line})  key ${e.key}`);
  for (const e of diff.changed) {
    lines.push(`changed  ${e.name}  (line ${e.line}, matched by ${e.matchedBy})  key ${e.key}`);
    for (const c of e.changes)
      lines.push(`           ${c.field}: ${show(c.before)} → ${show(c.after)}`);
  }
  for (const e of diff.missing)
    lines.push(
      `missing  ${e.name} <${e.email}>  (not in the file: archived if applied)  key ${e.key}`,
    );
  return lines.join('\n');
}

export async function targetsImportCommand(
  file: string,
  opts: Opts & { apply?: string[] },
): Promise<void> {
  const { text, encoding } = readCsvText(file, 'directory');
  const name = basename(file);
  await withClient(opts, async (client) => {
    const compared = await client.call<{
      summary: string;
      problems: RowProblem[];
      diff: DirectoryDiff;
    }>('POST', '/api/targets/import', { csv: text, file: name });
    if (!opts.apply?.length) {
      if (opts.json) return out(JSON.stringify(compared, null, 2));
      out(formatDiff(compared.diff, compared.problems, name));
      out(
        `${compared.summary}${encoding === 'UTF-8' ? '' : `; the file was ${encoding}`}. Nothing written.`,
      );
      out(`Apply: demarche targets import ${file} --apply all   (or --apply KEY … for some)`);
      return;
    }
    const all = opts.apply.includes('all');
    const keys = all
      ? [...compared.diff.added, ...compared.diff.changed, ...compared.diff.missing].map(
          (e) => e.key,
        )
      : opts.apply;
    const totals = {
      created: 0,
      updated: 0,
      archived: 0,
      stale: [] as string[],
      conflicts: [] as string[],
    };
    for (let i = 0; i < keys.length || i === 0; i += MAX_APPLY) {
      const r = await client.call<typeof totals>('POST', '/api/targets/import/apply', {
        csv: text,
        file: name,
        keys: keys.slice(i, i + MAX_APPLY),
      });
      totals.created += r.created;
      totals.updated += r.updated;
      totals.archived += r.archived;
      totals.stale.push(...r.stale);
      totals.conflicts.push(...r.conflicts);
      if (!keys.length) break;
    }
    if (opts.json) return out(JSON.stringify(totals, null, 2));
    out(`Applied: ${totals.created} new, ${totals.updated} changed, ${totals.archived} archived.`);
    if (totals.stale.length)
      out(
        `Not applied (the target changed since, or no such key; import again to compare): ${totals.stale.join(', ')}`,
      );
    if (totals.conflicts.length)
      out(`Changed meanwhile by someone else: ${totals.conflicts.join(', ')}`);
  });
}

type ListOpts = Opts & {
  tag?: string[];
  group?: string[];
  country?: string[];
  type?: string[];
  search?: string;
  stale?: boolean;
  archived?: boolean;
  limit?: string;
};

export async function targetsListCommand(opts: ListOpts): Promise<void> {
  const q = new URLSearchParams();
  if (opts.tag?.length) q.set('tags', opts.tag.join(','));
  if (opts.group?.length) q.set('groups', opts.group.join(','));
  if (opts.country?.length) q.set('countries', opts.country.join(','));
  if (opts.type?.length) q.set('institutionTypes', opts.type.join(','));
  if (opts.search) q.set('q', opts.search);
  if (opts.stale) q.set('stale', 'true');
  if (opts.archived) q.set('archived', 'true');
  q.set('limit', opts.limit ?? '500');
  await withClient(opts, async (client) => {
    const r = await client.call<{
      total: number;
      matching: number;
      stale: number;
      windowDays: number;
      items: (Target & { stale: boolean })[];
    }>('GET', `/api/targets?${q}`);
    if (opts.json) return out(JSON.stringify(r, null, 2));
    for (const t of r.items)
      out(
        `${t.id}  ${t.name.padEnd(32)} ${(t.country ?? '').padEnd(3)}${(t.institutionType ?? '').padEnd(25)}${t.email}${t.stale ? '  [not verified in ' + r.windowDays + ' days]' : ''}${t.failing ? '  [primary failing]' : ''}${t.tags.length ? `  #${t.tags.join(' #')}` : ''}`,
      );
    out(
      `${r.matching} of ${r.total} targets; ${r.stale} not verified within ${r.windowDays} days.`,
    );
  });
}

export async function targetsShowCommand(id: string, opts: Opts): Promise<void> {
  await withClient(opts, async (client) => {
    const r = await client.call<{
      target: Target & { stale: boolean };
      suppressed: boolean;
      versions: TargetVersion[];
      letters: TargetLetter[];
    }>('GET', `/api/targets/${encodeURIComponent(id)}`);
    if (opts.json) return out(JSON.stringify(r, null, 2));
    const t = r.target;
    out(`${t.name}${t.title ? `, ${t.title}` : ''}${t.organisation ? ` (${t.organisation})` : ''}`);
    out(
      `  ${t.email}${t.fallbackEmails?.length ? `  fallbacks: ${t.fallbackEmails.join(', ')}` : ''}`,
    );
    out(
      `  verified ${t.lastVerified ?? 'never'}${t.stale ? ' (out of date)' : ''}; suppressed: ${r.suppressed ? 'yes' : 'no'}`,
    );
    if (t.archived)
      out(
        `  archived${t.expiresAt ? `: deleted with its history after ${new Date(t.expiresAt * 1000).toISOString().slice(0, 10)} unless brought back` : ''}`,
      );
    if (t.failing)
      out(
        `  primary failing: ${t.failing.reason} in ${t.failing.campaignId} on ${t.failing.at.slice(0, 10)}`,
      );
    out('Letters:');
    for (const l of r.letters)
      out(
        `  ${(l.sentAt ?? '').slice(0, 10)}  ${l.campaignId}  ${l.delivery}${l.openedAt ? ', opened' : ''}${l.replies.map((x) => `, ${x.kind} reply${x.afterHours !== undefined ? ` after ${x.afterHours} h` : ''}`).join('')}  ${l.title}`,
      );
    out('Versions:');
    for (const v of r.versions)
      out(
        `  ${v.number}  ${v.at}  ${v.byEmail ?? v.by}  ${v.reason}: ${v.changes.map((c) => c.field).join(', ')}`,
      );
  });
}

export async function targetsExportCommand(
  opts: TargetOptions & { out?: string; responsiveness?: string },
): Promise<void> {
  await withClient(opts, async (client) => {
    const csv = (
      await client.text(
        'GET',
        opts.responsiveness
          ? `/api/targets/responsiveness.csv?by=${encodeURIComponent(opts.responsiveness)}`
          : '/api/targets/export.csv',
      )
    ).replace(/^\uFEFF/, '');
    if (opts.out) {
      // With the BOM, as the API gives it: Excel then reads the file as UTF-8.
      writeFileSync(opts.out, `\uFEFF${csv}`);
      process.stderr.write(`Wrote ${opts.out}\n`);
    } else process.stdout.write(csv);
  });
}
