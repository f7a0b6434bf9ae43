/**
 * `demarche plan`: before launch, when will the send-out finish? Reads the
 * statement (for its deadline) and the recipients (for their countries) and
 * prints the plan, or what is missing and what would fix it. Needs no
 * running services: the planner is pure.
 */
import { createReadStream } from 'node:fs';
import { PlanInputError } from '../../core/planner/errors.js';
import { formatPlan } from '../../core/planner/format.js';
import { type Plan, type PlanRecipient, planSendOut } from '../../core/planner/plan.js';
import { parseOfficeHours } from '../../core/planner/time.js';
import { streamRecipients } from '../../core/recipients.js';
import {
  checkTargets,
  OFFICIAL_GROUPS,
  targetWarning,
  type TargetLike,
} from '../../core/governance/targets.js';
import { verifyWindowDays } from '../../adapters/dynamo-governance.js';
import { parseStatement } from '../../core/statement.js';
import { read, statementOverrides } from '../statement-file.js';

export interface PlanCommandOptions {
  statement: string;
  recipients: string;
  rate?: string;
  quota?: string;
  window?: string;
  days?: string;
  start?: string;
  deadline?: string;
  zone?: string;
  json?: boolean;
  /** Days within which officials' addresses must have been verified (issue 11; default 90). */
  verifiedWithin?: string;
  sends?: boolean;
}

/** SES's usual first production limits, used when no --rate / --quota is given. */
export const DEFAULT_RATE = 14;
export const DEFAULT_QUOTA = 50_000;

/** Reads "14", "14/s", "30/min", "200/h" as letters per second. */
export function parseRate(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hour))?\s*$/i.exec(text);
  const per = { s: 1, m: 60, h: 3600 }[(m?.[2] ?? 's')[0]!.toLowerCase() as 's' | 'm' | 'h'];
  const n = m ? Number(m[1]) / per : NaN;
  if (!(n > 0))
    throw new PlanInputError('rate', `"${text}" is not a rate such as 14, 14/s, 30/min or 200/h`);
  return n;
}

export function parseQuota(text: string): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0))
    throw new PlanInputError('quota', `"${text}" is not a positive whole number`);
  return n;
}

function parseInstant(text: string, field: string): Date {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(text.trim()) || Number.isNaN(Date.parse(text))) {
    throw new PlanInputError(
      field,
      `"${text}" is not an ISO 8601 date-time with a zone, such as 2027-03-15T09:00:00+01:00`,
    );
  }
  return new Date(text);
}

/** Runs the command; returns the plan (the caller sets the exit code from `feasible`). */
export async function planCommand(opts: PlanCommandOptions): Promise<Plan> {
  const source = read(opts.statement, 'statement');
  const plainText = !/^\uFEFF?---\r?\n/.test(source);
  const overrides = statementOverrides({ deadline: opts.deadline }, plainText);
  const statement = parseStatement(source, opts.statement, overrides);
  read(opts.recipients, 'recipients');
  const recipients: PlanRecipient[] = [];
  // Officials only (issue 11): their addresses' verification dates are checked below.
  const officials: TargetLike[] = [];
  for await (const outcome of streamRecipients(
    // Bytes, not text: the encoding (UTF-8, Windows-1252 …) is detected from them.
    createReadStream(opts.recipients),
    opts.recipients,
  )) {
    if ('recipient' in outcome) {
      const r = outcome.recipient;
      recipients.push(r.country ? { id: r.id, country: r.country } : { id: r.id });
      if (OFFICIAL_GROUPS.includes(r.group))
        officials.push({ email: r.email, group: r.group, lastVerified: r.lastVerified });
    } else {
      process.stderr.write(
        `${opts.recipients}:${outcome.problem.line}: skipped: ${outcome.problem.message}\n`,
      );
    }
  }
  const plan = planSendOut(recipients, {
    rate: opts.rate ? parseRate(opts.rate) : DEFAULT_RATE,
    quota: opts.quota ? parseQuota(opts.quota) : DEFAULT_QUOTA,
    hours: parseOfficeHours(opts.window, opts.days),
    deadline: new Date(statement.deadline),
    earliestStart: opts.start ? parseInstant(opts.start, 'start') : new Date(),
    ...(opts.zone ? { zone: opts.zone } : {}),
  });
  const targets = checkTargets(officials, new Date(), verifyWindowDays(opts.verifiedWithin));
  const warning = targetWarning(targets);
  if (warning) process.stderr.write(`${warning}\n`);
  if (opts.json) {
    const { sends, ...rest } = plan;
    process.stdout.write(
      `${JSON.stringify(opts.sends ? { ...plan, targets } : { ...rest, sends: sends.length, targets }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${formatPlan(plan)}\n`);
  }
  return plan;
}
