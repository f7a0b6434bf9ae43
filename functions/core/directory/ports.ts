/**
 * Where the directory lives (adapters/dynamo-directory.ts). Targets and
 * their versions have partitions of their own (TARGET#, TARGETVER#), apart
 * from every campaign's: a campaign keeps its own copy of whom it wrote to.
 */
import type { PrimaryFailing, Target, TargetFields, TargetVersion } from './model.js';

/** Who made a change: the verified token subject, or a process's name. */
export interface DirectoryActor {
  sub: string;
  email?: string;
}

export interface TargetWrite {
  fields: TargetFields;
  reason: string;
  /** Archive (true) or bring back (false); absent: as it was. */
  archived?: boolean;
  /** Clear the failing mark (the address was replaced or checked). */
  clearFailing?: boolean;
}

export interface DirectoryStore {
  /** Every target, archived ones included (the whole directory: tens of thousands at most). */
  all(): Promise<Target[]>;
  get(id: string): Promise<Target | undefined>;
  /** A target's versions, oldest first. */
  versions(id: string): Promise<TargetVersion[]>;
  /** Creates targets (version 1 each), in batches; returns them. */
  create(writes: TargetWrite[], by: DirectoryActor, at: string): Promise<Target[]>;
  /**
   * Writes version `expected + 1` of a target with its version record, in one
   * transaction that holds only while the target is still at `expected`;
   * undefined when it moved on (someone else changed it) or is gone.
   */
  update(
    id: string,
    expected: number,
    write: TargetWrite,
    by: DirectoryActor,
    at: string,
  ): Promise<Target | undefined>;
  /** Marks the targets whose primary address is `email` as failing; returns how many. */
  markFailing(email: string, failing: PrimaryFailing): Promise<number>;
}
