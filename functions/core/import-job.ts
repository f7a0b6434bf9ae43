/**
 * Importing an uploaded recipients list as a job: the API records the import
 * on the draft (step 0) and hands it over; the job streams the upload, writes
 * the good rows in batches and records after each batch how many rows it has
 * read, so a job stopped anywhere is run again from that row (rows already
 * read are parsed again, so repeats are still found, but not written again).
 * At the end it counts the list, and the list is a new version by the person
 * who started the import. Until then the campaign cannot be approved.
 */
import type { Campaign, ImportProgress } from './campaign.js';
import { CampaignStateError, NotFoundError } from './errors.js';
import { recordVersion, type GovernanceDeps } from './governance/govern.js';
import type { Actor } from './governance/model.js';
import type { JobStore, Uploads } from './job-ports.js';
import { streamRecipients, type Recipient } from './recipients.js';

export type ImportDeps = GovernanceDeps & { jobStore: JobStore; uploads: Uploads };

/** Bad rows kept on the campaign for the person to read (all are counted). */
const KEPT_PROBLEMS = 50;
const BATCH = 500;

/** Records an import on a draft (step 0); the job (runImport) does the work. */
export async function beginImport(
  deps: ImportDeps,
  campaignId: string,
  input: { uploadId: string; mode: ImportProgress['mode']; by: Actor; reason: string },
): Promise<Campaign> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  if (campaign.status !== 'draft')
    throw new CampaignStateError(campaignId, `a ${campaign.status} campaign's list cannot change`, {
      status: campaign.status,
    });
  if (campaign.import?.state === 'importing')
    throw new CampaignStateError(campaignId, 'another list is still importing', {
      status: campaign.status,
    });
  if (!(await deps.uploads.open(input.uploadId))) throw new NotFoundError('upload', input.uploadId);
  const at = deps.clock.now().toISOString();
  const progress: ImportProgress = {
    state: 'importing',
    uploadId: input.uploadId,
    mode: input.mode,
    rows: 0,
    imported: 0,
    skipped: 0,
    problems: [],
    by: input.by.sub,
    ...(input.by.email ? { byEmail: input.by.email } : {}),
    reason: input.reason,
    step: 0,
    startedAt: at,
    updatedAt: at,
  };
  if (!(await deps.store.transition(campaignId, ['draft'], 'draft', at, { import: progress })))
    throw new CampaignStateError(campaignId, 'the campaign changed meanwhile');
  return { ...campaign, import: progress };
}

export type ImportOutcome = 'imported' | 'failed' | 'yielded' | 'superseded' | 'idle';

/** Runs (or goes on with) a draft's import; see the file's comment. */
export async function runImport(
  deps: ImportDeps,
  campaignId: string,
  opts: { stopAt?: number; batchSize?: number; afterBatch?: (step: number) => Promise<void> } = {},
): Promise<{ outcome: ImportOutcome; progress?: ImportProgress }> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  let p = campaign.import;
  if (!p || p.state !== 'importing') return { outcome: 'idle', progress: p };
  const step = async (next: ImportProgress): Promise<boolean> => {
    const ok = await deps.jobStore.advance(campaignId, 'import', p!.step, next, {
      statuses: ['draft'],
    });
    if (ok) p = next;
    return ok;
  };
  const now = () => deps.clock.now().toISOString();
  const fail = async (error: string) => {
    await step({ ...p!, state: 'failed', error, step: p!.step + 1, updatedAt: now() });
    return { outcome: 'failed' as const, progress: p };
  };
  const source = await deps.uploads.open(p.uploadId);
  if (!source) return fail(`the upload ${p.uploadId} is missing`);
  if (p.mode === 'replace' && !p.cleared) {
    await deps.jobStore.clearRecipients(campaignId);
    if (!(await step({ ...p, cleared: true, step: p.step + 1, updatedAt: now() })))
      return { outcome: 'superseded', progress: p };
  }
  const done = p.rows;
  let row = 0;
  let batch: Recipient[] = [];
  let skipped = 0;
  const problems: ImportProgress['problems'] = [];
  const flush = async (): Promise<boolean> => {
    if (batch.length) await deps.store.putRecipients(campaignId, batch);
    const next: ImportProgress = {
      ...p!,
      rows: row,
      imported: p!.imported + batch.length,
      skipped: p!.skipped + skipped,
      problems: [...p!.problems, ...problems].slice(0, KEPT_PROBLEMS),
      step: p!.step + 1,
      updatedAt: now(),
    };
    batch = [];
    skipped = 0;
    problems.length = 0;
    if (!(await step(next))) return false;
    await opts.afterBatch?.(next.step);
    return true;
  };
  try {
    for await (const outcome of streamRecipients(source, 'upload.csv')) {
      row++;
      if (row <= done) continue;
      if ('recipient' in outcome) batch.push(outcome.recipient);
      else {
        skipped++;
        problems.push({ line: outcome.problem.line, message: outcome.problem.message });
      }
      if (row - p.rows >= (opts.batchSize ?? BATCH)) {
        if (!(await flush())) return { outcome: 'superseded', progress: p };
        if (opts.stopAt !== undefined && deps.clock.now().getTime() >= opts.stopAt)
          return { outcome: 'yielded', progress: p };
      }
    }
  } catch (err) {
    return fail(`the upload could not be read: ${(err as Error).message}`);
  }
  if (row > p.rows && !(await flush())) return { outcome: 'superseded', progress: p };
  const count = await deps.jobStore.countRecipients(campaignId);
  if (count === 0) return fail(`no usable recipient rows (${p.skipped} skipped)`);
  await deps.store.transition(campaignId, ['draft'], 'draft', now(), { recipientCount: count });
  // The version first: recording it again after a crash finds the same hash and adds nothing.
  await recordVersion(
    deps,
    campaignId,
    { sub: p.by, ...(p.byEmail ? { email: p.byEmail } : {}) },
    p.reason,
  );
  if (!(await step({ ...p, state: 'imported', step: p.step + 1, updatedAt: now() })))
    return { outcome: 'superseded', progress: p };
  return { outcome: 'imported', progress: p };
}
