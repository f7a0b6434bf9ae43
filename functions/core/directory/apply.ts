/**
 * Applying a reviewed import, and a person's own edits. The import is read
 * and compared again when it is applied, and only entries whose key is still
 * in the new comparison are written: an entry whose target changed since the
 * person reviewed it has another key now and is reported as stale, never
 * applied over the newer version.
 */
import { DemarcheError } from '../errors.js';
import type { DirectoryFile } from './csv.js';
import { chooseEntries, diffDirectory, type DirectoryDiff } from './diff.js';
import { fieldsOf, type Target, type TargetFields } from './model.js';
import type { DirectoryActor, DirectoryStore } from './ports.js';

export interface ApplyResult {
  created: number;
  updated: number;
  archived: number;
  /** Keys asked for that are not (or no longer) in the comparison: the target changed meanwhile, or the key is wrong. */
  stale: string[];
  /** Targets that changed between the comparison and the write (a concurrent edit). */
  conflicts: string[];
}

/** At most this many changes per request; larger imports are applied in parts (the CLI does it). */
export const MAX_APPLY = 5000;

export async function applyImport(
  store: DirectoryStore,
  file: DirectoryFile,
  choice: { all: true } | { keys: string[] },
  by: DirectoryActor,
  at: string,
  fileName = 'directory.csv',
): Promise<ApplyResult & { diff: DirectoryDiff }> {
  const diff = diffDirectory(await store.all(), file);
  const chosen = chooseEntries(diff, 'keys' in choice ? choice.keys : undefined);
  const total = chosen.added.length + chosen.changed.length + chosen.missing.length;
  if (total > MAX_APPLY)
    throw new DemarcheError(
      'TOO_LARGE',
      `${total} changes in one request; apply at most ${MAX_APPLY} at a time (choose them by key)`,
      { changes: total, max: MAX_APPLY },
    );
  const out: ApplyResult = {
    created: 0,
    updated: 0,
    archived: 0,
    stale: chosen.notFound,
    conflicts: [],
  };
  const reason = `imported from ${fileName}`;
  out.created = (
    await store.create(
      chosen.added.map((e) => ({ fields: e.fields, reason })),
      by,
      at,
    )
  ).length;
  for (const e of chosen.changed) {
    const emailChanged = e.changes.some((c) => c.field === 'email');
    const done = await store.update(
      e.targetId,
      e.version,
      {
        fields: e.fields,
        reason,
        ...(e.changes.some((c) => c.field === 'archived') ? { archived: false } : {}),
        ...(emailChanged ? { clearFailing: true } : {}),
      },
      by,
      at,
    );
    if (done) out.updated++;
    else out.conflicts.push(e.key);
  }
  const byId = new Map((await store.all()).map((t) => [t.id, t]));
  for (const e of chosen.missing) {
    const t = byId.get(e.targetId);
    const done =
      t &&
      (await store.update(
        e.targetId,
        e.version,
        { fields: fieldsOf(t), reason: `not in ${fileName}: archived`, archived: true },
        by,
        at,
      ));
    if (done) out.archived++;
    else out.conflicts.push(e.key);
  }
  return { ...out, diff };
}

/** A person's edit of one target, made over the version they saw. */
export async function editTarget(
  store: DirectoryStore,
  target: Target,
  expected: number,
  change: Partial<TargetFields> & { archived?: boolean },
  by: DirectoryActor,
  at: string,
  reason = 'edited',
): Promise<Target> {
  const { archived, ...fields } = change;
  const next = { ...fieldsOf(target), ...fields } as TargetFields;
  for (const k of Object.keys(next) as (keyof TargetFields)[])
    if (next[k] === undefined || next[k] === '') delete next[k];
  if (!next.tags) next.tags = [];
  const done = await store.update(
    target.id,
    expected,
    {
      fields: next,
      reason,
      ...(archived !== undefined ? { archived } : {}),
      ...(next.email !== target.email || fields.lastVerified ? { clearFailing: true } : {}),
    },
    by,
    at,
  );
  if (!done)
    throw new DemarcheError(
      'TARGET_STALE',
      `target ${target.id} changed since version ${expected} (now ${target.version}); reload it and edit again`,
      { targetId: target.id, expected, current: target.version },
    );
  return done;
}

/**
 * Promotes a fallback address to primary, after a person confirms it (a hard
 * bounce marks the primary failing; nothing moves by itself): the fallback
 * becomes the email, the failing primary is dropped, the other fallbacks stay
 * in order.
 */
export async function promoteFallback(
  store: DirectoryStore,
  target: Target,
  expected: number,
  address: string,
  by: DirectoryActor,
  at: string,
): Promise<Target> {
  const fallbacks = target.fallbackEmails ?? [];
  if (!fallbacks.includes(address))
    throw new DemarcheError(
      'REQUEST_INVALID',
      `${address} is not a fallback address of target ${target.id}`,
      {
        field: 'fallback',
      },
    );
  const rest = fallbacks.filter((f) => f !== address);
  return editTarget(
    store,
    target,
    expected,
    { email: address, fallbackEmails: rest.length ? rest : undefined },
    by,
    at,
    `fallback ${fallbacks.indexOf(address) + 1} promoted to primary${target.failing ? ` after ${target.failing.reason}` : ''}`,
  );
}
