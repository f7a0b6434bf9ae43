/**
 * A campaign's recipients picked from the directory: a selection (tags,
 * groups, countries, institution types, free search) plus ad-hoc rows. The
 * selection is resolved when the campaign is created (or a draft is
 * refreshed): each selected target becomes a recipient carrying the target's
 * id and version, and the campaign's content version (its hash covers every
 * recipient's id, address and fallbacks) is what gets approved. A target
 * edited afterwards changes nothing in the campaign; `sinceTaken` says what
 * changed, for staff. Pure.
 */
import type { RowProblem } from '../errors.js';
import { type Recipient, recipientId } from '../recipients.js';
import type { FieldChange, Target, TargetVersion } from './model.js';
import { asRecipient, type DirectoryRecipient, select, type Selection } from './select.js';

/** What a campaign took from the directory, kept beside it. */
export interface DirectorySelectionRecord {
  selection: Selection;
  /** Targets the selection took, and ad-hoc rows added beside them. */
  targets: number;
  adHoc: number;
  takenAt: string;
  takenBy: string;
}

/** The recipients of a selection plus ad-hoc rows; an ad-hoc row for a selected address is refused, naming the target. */
export function recipientsFrom(
  directory: readonly Target[],
  selection: Selection,
  adHoc: readonly Recipient[] = [],
  adHocLines: readonly number[] = [],
): {
  recipients: (Recipient | DirectoryRecipient)[];
  targets: number;
  adHoc: number;
  problems: RowProblem[];
} {
  const chosen = select(directory, selection);
  const recipients: (Recipient | DirectoryRecipient)[] = [];
  const ids = new Map<string, Target>();
  for (const t of chosen) {
    const r = asRecipient(t, recipientId);
    // Two targets at one address (two people sharing an office's inbox) get one letter.
    if (ids.has(r.id)) continue;
    ids.set(r.id, t);
    recipients.push(r);
  }
  const problems: RowProblem[] = [];
  let added = 0;
  adHoc.forEach((r, i) => {
    const t = ids.get(r.id);
    if (t) {
      problems.push({
        line: adHocLines[i] ?? i + 2,
        field: 'email',
        message: `email ${r.email} is already in the selection (target ${t.name}); the row is not added again`,
      });
      return;
    }
    recipients.push(r);
    added++;
  });
  return { recipients, targets: ids.size, adHoc: added, problems };
}

export interface TargetChangedSince {
  targetId: string;
  name: string;
  /** The version the campaign took, and the directory's now. */
  taken: number;
  now: number;
  changes: FieldChange[];
  /** Gone from the directory (erased) since. */
  gone?: boolean;
}

/** What changed in a target after the campaign took version `taken` of it (every later version's changes, in order). */
export function sinceTaken(
  targetId: string,
  name: string,
  taken: number,
  current: Target | undefined,
  versions: readonly TargetVersion[],
): TargetChangedSince | undefined {
  if (!current) return { targetId, name, taken, now: taken, changes: [], gone: true };
  if (current.version <= taken) return undefined;
  return {
    targetId,
    name: current.name,
    taken,
    now: current.version,
    changes: versions.filter((v) => v.number > taken).flatMap((v) => v.changes),
  };
}
