/**
 * `demarche launch`: create a campaign from a statement and a recipients list
 * (bad rows reported by line) and launch it once approved; or launch a stored,
 * approved CAMPAIGN. Both through the staff API: the server checks the
 * approval of the exact version, answers at once and queues in the
 * background; the command then shows the progress ("queueing N of M", then
 * letters settled) until every letter is settled, unless --no-wait.
 */
import cliProgress from 'cli-progress';
import { settled } from '../../core/campaign.js';
import type { DryRunReport } from '../../core/dry-run.js';
import { shortHash } from '../../core/governance/model.js';
import { formatStatus, type CampaignJson, type StatusView } from '../output.js';
import {
  printProblems,
  readCsvText,
  recipientsSource,
  statementSources,
  type StatementOptions,
} from '../sources.js';
import { readStatement, statementOverrides } from '../statement-file.js';
import type { Client, TargetOptions } from '../target.js';
import { readStatus, withClient } from './status.js';

/** Who a campaign takes from the directory (`--tag FAC --country SE …`); any kind given makes it a directory campaign. */
export interface SelectionOptions {
  tag?: string[];
  group?: string[];
  country?: string[];
  type?: string[];
  search?: string;
}

export interface LaunchOptions extends TargetOptions, StatementOptions, SelectionOptions {
  statement: string;
  /** The recipients list; with a selection, the ad-hoc rows beside it (optional). */
  recipients?: string;
  /** The demo only (local): a second user who approves the new version before it is launched. */
  approver?: string;
  dryRun?: boolean;
  json?: boolean;
  progress?: boolean;
  /** Return once the launch is handed over, printing how to follow it. */
  wait?: boolean;
  /** Print nothing but the final summary (used by the demo, which prints its own). */
  quiet?: boolean;
}

interface Created {
  campaign: CampaignJson;
  /** From the directory: targets the selection took and ad-hoc rows added beside them. */
  targets?: number;
  adHoc?: number;
  version?: { number: number; hash: string; author: string };
  recipients?: number;
  problems?: { line: number; message: string }[];
  /** Defaults a recipient would notice: said before anything is sent. */
  warnings?: { message: string }[];
}

/** The API's selection from the options, or undefined when none names anything. */
export function selectionOf(o: SelectionOptions) {
  const s = {
    ...(o.tag?.length ? { tags: o.tag } : {}),
    ...(o.group?.length ? { groups: o.group } : {}),
    ...(o.country?.length ? { countries: o.country } : {}),
    ...(o.type?.length ? { institutionTypes: o.type } : {}),
    ...(o.search?.trim() ? { q: o.search.trim() } : {}),
  };
  return Object.keys(s).length ? s : undefined;
}

/** "tag FAC or GAC, country SE": a selection as the person typed it. */
export function describeSelection(s: NonNullable<ReturnType<typeof selectionOf>>): string {
  const part = (word: string, xs?: string[]) => (xs?.length ? `${word} ${xs.join(' or ')}` : '');
  return [
    part('tag', s.tags),
    part('group', s.groups),
    part('country', s.countries),
    part('institution', s.institutionTypes),
    s.q ? `search "${s.q}"` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Creates the campaign: from a recipients list (inline, or uploaded when
 * large), or from a directory selection with the list's rows as ad-hoc rows
 * beside it (sent inline: the route takes text, decoded here from whatever
 * encoding the spreadsheet wrote).
 */
async function createCampaign(
  client: Client,
  opts: LaunchOptions,
): Promise<{ created: Created; uploaded: boolean }> {
  const sources = statementSources(opts.statement, opts);
  const selection = selectionOf(opts);
  if (selection) {
    const adHoc = opts.recipients ? readCsvText(opts.recipients, 'recipients').text : undefined;
    const created = await client.call<Created>('POST', '/api/campaigns/from-directory', {
      ...sources,
      selection,
      ...(adHoc ? { recipientsCsv: adHoc } : {}),
    });
    return { created, uploaded: false };
  }
  const list = await recipientsSource(client, opts.recipients!);
  const created = await client.call<Created>('POST', '/api/campaigns', {
    ...sources,
    ...('csv' in list ? { recipientsCsv: list.csv } : { recipientsUpload: list.upload }),
  });
  return { created, uploaded: 'upload' in list };
}

const FINAL = new Set(['completed', 'cancelled', 'expired', 'paused']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until an uploaded list is imported; shows "importing N" meanwhile. */
async function imported(client: Client, id: string, file: string, say: (s: string) => void) {
  let last = '';
  for (;;) {
    const c = await client.call<CampaignJson>('GET', `/api/campaigns/${id}`);
    const p = c.import;
    if (c.progress && c.progress !== last && !c.progress.startsWith('import failed'))
      say(`  ${c.progress}`);
    last = c.progress ?? '';
    if (p && p.state !== 'importing') {
      printProblems(file, p.problems);
      if (p.skipped > p.problems.length)
        process.stderr.write(`${file}: … ${p.skipped - p.problems.length} more rows skipped\n`);
      if (p.state === 'failed') throw new Error(`the import failed: ${p.error}`);
      return c;
    }
    await sleep(500);
  }
}

/** Follows a launch until every letter is settled (or the campaign stops), with a progress bar. */
export async function follow(client: Client, id: string, show: boolean): Promise<StatusView> {
  const bar = show
    ? new cliProgress.SingleBar(
        {
          // Our own rate and time left: the library's ETA reads "NF" until letters move.
          format: '{phase} {bar} {value}/{total} · {pace}',
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 2000,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let view = await readStatus(client, id);
  bar?.start(view.recipients, 0, { phase: 'Queueing', pace: 'starting' });
  const pace = paceMeter(view.recipients);
  for (;;) {
    const queueing = view.progress?.startsWith('queueing');
    const value = queueing ? await launchQueued(client, id) : settled(view.counters);
    bar?.update(value, {
      phase: queueing ? 'Queueing' : 'Sending ',
      pace: pace(queueing ? 'queueing' : 'sending', value),
    });
    if (FINAL.has(view.status) || (view.status !== 'sending' && view.status !== 'scheduled')) break;
    await sleep(300);
    view = await readStatus(client, id);
  }
  bar?.stop();
  return view;
}

/**
 * "12.5 letters/s · 40s left" from how fast the count moved since its phase
 * began; "measuring" until it has moved.
 */
export function paceMeter(total: number, now: () => number = Date.now) {
  let phase = '';
  let from = { at: 0, value: 0 };
  return (current: string, value: number): string => {
    if (current !== phase) {
      phase = current;
      from = { at: now(), value };
    }
    const seconds = (now() - from.at) / 1000;
    const moved = value - from.value;
    if (moved <= 0 || seconds <= 0) return value >= total ? 'done' : 'measuring';
    const rate = moved / seconds;
    const left = Math.ceil((total - value) / rate);
    const time =
      left >= 3600
        ? `${Math.floor(left / 3600)}h ${Math.ceil((left % 3600) / 60)}min`
        : left >= 60
          ? `${Math.floor(left / 60)}min ${left % 60}s`
          : `${left}s`;
    const per = rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
    return value >= total ? `${per} letters/s · done` : `${per} letters/s · ${time} left`;
  };
}

async function launchQueued(client: Client, id: string): Promise<number> {
  return (await client.call<CampaignJson>('GET', `/api/campaigns/${id}`)).launch?.queued ?? 0;
}

function printDryRun(report: DryRunReport, json?: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ dryRun: report }, null, 2)}\n`);
    return;
  }
  const parts = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ');
  process.stdout.write(
    [
      `Dry run of campaign ${report.campaignId}: ${report.letters} letters composed, none mailed; the campaign stays a draft.`,
      `  by language  ${parts(report.byLanguage)}`,
      `  by group     ${parts(report.byGroup)}`,
      `  HTML size    ${report.averageHtmlBytes} bytes on average, ${report.largestHtmlBytes} at most (Gmail clips above 102,400)`,
      '',
    ].join('\n'),
  );
}

/** Launches a stored campaign (the server checks its approval) and follows it unless told not to. */
async function launchAndFollow(
  client: Client,
  id: string,
  opts: { json?: boolean; progress?: boolean; wait?: boolean; quiet?: boolean },
): Promise<StatusView> {
  await client.call('POST', `/api/campaigns/${encodeURIComponent(id)}/launch`, {});
  if (opts.wait === false && !client.inProcess) {
    const view = await readStatus(client, id);
    if (!opts.quiet)
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(view, null, 2)}\n`
          : `Campaign ${id} launched: the letters are being queued and sent.\nFollow it: npx demarche status ${id}\n`,
      );
    return view;
  }
  const view = await follow(client, id, opts.progress !== false && !opts.json && !opts.quiet);
  if (opts.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  else if (!opts.quiet) process.stdout.write(`${formatStatus(view)}\n`);
  return view;
}

export async function launchCommand(opts: LaunchOptions): Promise<StatusView> {
  const say = (line: string) => {
    if (!opts.json && !opts.quiet) process.stdout.write(`${line}\n`);
  };
  // Read here first, as plan does, so that a statement that cannot be parsed is refused at
  // once, before a runtime starts or a request is made; the server reads and checks it again.
  readStatement(opts.statement, (plain) => statementOverrides(opts, plain));
  return withClient(opts, async (client) => {
    const { created, uploaded } = await createCampaign(client, opts);
    const id = created.campaign.id;
    const listName = opts.recipients ?? 'ad-hoc rows';
    if (created.problems) printProblems(listName, created.problems);
    for (const w of created.warnings ?? []) process.stderr.write(`warning: ${w.message}\n`);
    const selection = selectionOf(opts);
    if (selection)
      say(
        `Campaign ${id} created from the directory (${describeSelection(selection)}): ${created.targets} targets and ${created.adHoc} ad-hoc rows.`,
      );
    else say(`Campaign ${id} created${uploaded ? '; importing its list' : ''}.`);
    const campaign = uploaded ? await imported(client, id, listName, say) : created.campaign;
    say(
      `Read ${campaign.recipientCount} recipients (${created.problems?.length ?? campaign.import?.skipped ?? 0} rows skipped).`,
    );
    const { versions } = await client.call<{
      versions: { number: number; hash: string; author: string; authorEmail?: string }[];
    }>('GET', `/api/campaigns/${id}/versions`);
    const version = versions.at(-1)!;
    say(
      `Version ${version.number} (${shortHash(version.hash)}) by ${version.authorEmail ?? version.author}.`,
    );
    if (opts.dryRun) {
      printDryRun(
        await client.call<DryRunReport>('POST', `/api/campaigns/${id}/dry-run`, {}),
        opts.json,
      );
      return readStatus(client, id);
    }
    if (opts.approver) {
      await (
        await client.as(opts.approver)
      ).call('POST', `/api/campaigns/${id}/approve`, {
        hash: version.hash,
      });
      say(`Approved by ${opts.approver}.`);
    }
    return launchAndFollow(client, id, opts);
  });
}

/** `demarche launch CAMPAIGN`: launches a stored draft (or scheduled) campaign's approved current version. */
export async function launchStoredCommand(
  campaignId: string,
  opts: TargetOptions & { json?: boolean; progress?: boolean; wait?: boolean },
): Promise<StatusView> {
  return withClient(opts, (client) =>
    launchAndFollow(client, campaignId, { ...opts, progress: false }),
  );
}
