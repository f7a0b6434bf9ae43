/**
 * `demarche launch`: read the statement and the recipients, report bad rows,
 * compile the letter once, store the campaign, enqueue every letter and show
 * progress until the local queue has sent them all.
 */
import { createReadStream, readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { readTemplate } from '../../adapters/templates.js';
import { settled } from '../../core/campaign.js';
import { DemarcheError } from '../../core/errors.js';
import { createCampaign } from '../../core/launch.js';
import { approveVersion, launchApproved, recordVersion } from '../../core/governance/govern.js';
import { shortHash } from '../../core/governance/model.js';
import { cliActor } from './governance.js';
import { dryRunCampaign, type DryRunReport } from '../../core/dry-run.js';
import {
  importSummary,
  streamRecipients,
  type CsvFormat,
  type Recipient,
} from '../../core/recipients.js';
import type { StatementOverrides } from '../../core/statement.js';
import { readStatement } from '../statement-file.js';
import { formatStatus, statusView, type StatusView } from '../output.js';
import { openTarget, type Target, type TargetOptions } from '../target.js';

export interface LaunchOptions extends TargetOptions {
  statement: string;
  recipients: string;
  /** Who is acting (issue 11): the new version's author, or the launcher. */
  as?: string;
  /** The demo only: a second user who approves the new version before it is launched. */
  approver?: string;
  deadline?: string;
  subject?: string;
  meeting?: string;
  from?: string;
  replyDomain?: string;
  language?: string;
  signatory?: string[];
  dryRun?: boolean;
  json?: boolean;
  progress?: boolean;
  /** Print nothing but the final summary (used by the demo, which prints its own). */
  quiet?: boolean;
}

const DEFAULT_FROM = 'demarche <campaigns@demarche.example.org>';
const DEFAULT_REPLY_DOMAIN = 'replies.demarche.example.org';

function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new DemarcheError(
      'INPUT_UNREADABLE',
      `cannot read the ${what} file ${path}: ${(err as Error).message}`,
      { path },
    );
  }
}

export function statementOverrides(opts: LaunchOptions, plainText: boolean): StatementOverrides {
  const o: StatementOverrides = {};
  if (opts.deadline) o.deadline = opts.deadline;
  if (opts.subject) o.subject = opts.subject;
  if (opts.meeting) o.meeting = opts.meeting;
  if (opts.language) o.language = opts.language;
  if (opts.replyDomain) o.replyToDomain = opts.replyDomain;
  if (opts.signatory?.length) o.signatories = opts.signatory.map(parseSignatory);
  const from = opts.from ?? (plainText ? (process.env.DEMARCHE_FROM ?? DEFAULT_FROM) : undefined);
  if (from) o.from = from as unknown as StatementOverrides['from'];
  if (plainText) {
    o.replyToDomain ??= process.env.DEMARCHE_REPLY_DOMAIN ?? DEFAULT_REPLY_DOMAIN;
    o.language ??= 'en';
  }
  return o;
}

function parseSignatory(s: string) {
  const [name, ...org] = s.split(',');
  const organisation = org.join(',').trim();
  return organisation ? { name: name!.trim(), organisation } : { name: name!.trim() };
}

export async function launchCommand(opts: LaunchOptions): Promise<StatusView> {
  // Translations beside the file (statement.fr.md …) are read with it.
  const statement = readStatement(opts.statement, (plainText) =>
    statementOverrides(opts, plainText),
  );

  // Two streaming passes over the file: the first validates, counts and
  // reports bad rows; the second feeds the store. A list of any length is
  // never held in memory.
  let good = 0;
  let skipped = 0;
  let format: CsvFormat | undefined;
  for await (const outcome of readRecipients(opts.recipients, (f) => (format = f))) {
    if ('recipient' in outcome) good++;
    else {
      skipped++;
      process.stderr.write(
        `${opts.recipients}:${outcome.problem.line}: skipped: ${outcome.problem.message}\n`,
      );
    }
  }
  if (good === 0) {
    throw new DemarcheError(
      'RECIPIENTS_EMPTY',
      `${opts.recipients}: no usable recipient rows (${skipped} skipped)`,
    );
  }
  const say = (line: string) => {
    if (!opts.json && !opts.quiet) process.stdout.write(`${line}\n`);
  };
  say(importSummary(good, skipped, format));

  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const { campaign } = await createCampaign(d, {
      statement,
      recipients: goodRecipients(opts.recipients),
      recipientCount: good,
      mjml: readTemplate(),
      configurationSet: d.config.configurationSet,
    });
    say(`Campaign ${campaign.id} created.`);
    const version = await recordVersion(d, campaign.id, cliActor(opts), 'created');
    say(`Version ${version.number} (${shortHash(version.hash)}) by ${version.author}.`);
    if (opts.approver && !opts.dryRun) {
      await approveVersion(d, campaign.id, opts.approver, version.hash);
      say(`Approved by ${opts.approver}.`);
    }
    if (opts.dryRun) {
      printDryRun(await dryRunCampaign(d, campaign.id), opts);
    } else {
      const launched = launchApproved(d, campaign.id, cliActor(opts));
      const show = opts.progress !== false && !opts.json && !opts.quiet;
      await watch(target, campaign.id, campaign.recipientCount, launched, show);
    }
    const view = statusView(
      (await d.store.getCampaign(campaign.id))!,
      await d.store.counters(campaign.id),
    );
    if (opts.json && !opts.dryRun) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else if (!opts.quiet && !opts.dryRun) process.stdout.write(`${formatStatus(view)}\n`);
    return view;
  } finally {
    await target.stop();
  }
}

function readRecipients(path: string, onFormat?: (f: CsvFormat) => void) {
  readInput(path, 'recipients'); // fails early, with the path, when the file cannot be read
  return streamRecipients(
    // Bytes, not text: the encoding (UTF-8, Windows-1252 …) is detected from them.
    createReadStream(path, { highWaterMark: 64 * 1024 }),
    path,
    onFormat,
  );
}

async function* goodRecipients(path: string): AsyncGenerator<Recipient> {
  for await (const outcome of readRecipients(path))
    if ('recipient' in outcome) yield outcome.recipient;
}

function printDryRun(report: DryRunReport, opts: LaunchOptions): void {
  if (opts.json) {
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

/** Shows a progress bar (or nothing) until every letter is settled or the local queue is drained. */
async function watch(
  target: Target,
  campaignId: string,
  total: number,
  launched: Promise<unknown>,
  show: boolean,
): Promise<void> {
  const bar = show
    ? new cliProgress.SingleBar(
        {
          format: 'Sending {bar} {value}/{total} letters · {eta_formatted} left',
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 2000,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0);
  let done = false;
  const poll = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 250));
      if (bar) bar.update(settled(await target.deps.store.counters(campaignId)));
    }
  })();
  try {
    await launched;
    if (target.kind === 'local') await target.drained();
  } finally {
    done = true;
    await poll;
    if (bar) {
      bar.update(settled(await target.deps.store.counters(campaignId)));
      bar.stop();
    }
  }
}

/**
 * `demarche launch CAMPAIGN`: launches a stored draft (or scheduled) campaign's
 * approved current version, as the acting user, and watches it locally.
 */
export async function launchStoredCommand(
  campaignId: string,
  opts: TargetOptions & { as?: string; json?: boolean; progress?: boolean },
): Promise<StatusView> {
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const campaign = await d.store.getCampaign(campaignId);
    if (!campaign) throw new DemarcheError('NOT_FOUND', `no campaign ${campaignId}`);
    const launched = launchApproved(d, campaignId, cliActor(opts));
    await launched; // refused (no approval, wrong state) before anything is watched
    await watch(target, campaignId, campaign.recipientCount, launched, false);
    const view = statusView(
      (await d.store.getCampaign(campaignId))!,
      await d.store.counters(campaignId),
    );
    process.stdout.write(
      opts.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatStatus(view)}\n`,
    );
    return view;
  } finally {
    await target.stop();
  }
}
