/** The directory's API answers as the page reads them (types from the server, type-only). */
import type { DirectoryDiff } from '../../../../functions/core/directory/diff.js';
import type { TargetLetter } from '../../../../functions/core/directory/history.js';
import type { Target, TargetVersion } from '../../../../functions/core/directory/model.js';
import type { TargetChangedSince } from '../../../../functions/core/directory/campaign.js';
import type { RowProblem } from '../../../../functions/core/errors.js';

export type { DirectoryDiff, RowProblem, TargetChangedSince, TargetLetter, TargetVersion };
export type TargetRow = Target & { stale: boolean; verifiedDaysAgo?: number };

export interface Facet {
  value: string;
  n: number;
}
export interface TargetList {
  total: number;
  matching: number;
  stale: number;
  failing: number;
  windowDays: number;
  items: TargetRow[];
  facets: { tags: Facet[]; groups: Facet[]; countries: Facet[]; institutionTypes: Facet[] };
}
export interface TargetDetail {
  target: TargetRow;
  suppressed: boolean;
  versions: TargetVersion[];
  letters: TargetLetter[];
}
export interface ImportCompared {
  summary: string;
  problems: RowProblem[];
  diff: DirectoryDiff;
}
