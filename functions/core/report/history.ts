/**
 * The directory's history in the proof-of-delivery report: how each
 * recipient (its directory target) and each group answered the letters of
 * other campaigns, so the report can say "usually replies within 6 hours"
 * where there is a history to say it from. Letters of the reported campaign
 * and its follow-ups are not its own history and are left to the caller to
 * skip. Pure.
 */
import type { CampaignRecipient } from '../campaign.js';
import { Responsiveness, type ResponsivenessRow } from '../directory/history.js';
import type { Target } from '../directory/model.js';
import type { ReplyHistory, ReportModel, ReportRow } from './model.js';

/** Earlier letters accumulated per target and per group. */
export class ReportHistory {
  private readonly byTarget = new Responsiveness((_r, t) => t?.id);
  private readonly byGroup = new Responsiveness('group');

  add(r: CampaignRecipient, target: Target | undefined): void {
    this.byTarget.add(r, target, 0);
    this.byGroup.add(r, target, 0);
  }

  /**
   * The report with each row's history (`targetOf` names a row's target: the
   * one it was taken from, else the target with its address) and each
   * group's. Rows and groups without earlier letters get none.
   */
  attach(model: ReportModel, targetOf: (row: ReportRow) => string | undefined): ReportModel {
    const rows = new Map(this.byTarget.result().map((x) => [x.key, historyOf(x)]));
    const groups = new Map(this.byGroup.result().map((x) => [x.key, historyOf(x)]));
    return {
      ...model,
      groups: model.groups.map((g) => ({
        ...g,
        ...(groups.has(g.group) ? { history: groups.get(g.group)! } : {}),
        countries: g.countries.map((c) => ({
          ...c,
          rows: c.rows.map((row) => {
            const id = targetOf(row);
            const h = id !== undefined ? rows.get(id) : undefined;
            return h ? { ...row, history: h } : row;
          }),
        })),
      })),
    };
  }
}

const historyOf = (x: ResponsivenessRow): ReplyHistory => ({
  letters: x.letters,
  humanReplies: x.humanReplies,
  ...(x.medianHoursToReply !== undefined ? { medianHoursToReply: x.medianHoursToReply } : {}),
});
