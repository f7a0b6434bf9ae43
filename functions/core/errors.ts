/**
 * The named errors of demarche. Every error carries a stable `code` (the API
 * maps codes to HTTP statuses in one place) and, where it applies, the place
 * it is about: a field, a line, a row.
 */
export class DemarcheError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** One problem in a statement, with the field and line it concerns. */
export interface StatementIssue {
  field: string;
  line?: number;
  message: string;
  /**
   * Where the value came from when it was not the statement file: the option
   * or field that gave it ("--deadline", "overrides.deadline").
   */
  from?: string;
}

/** A statement that cannot be used: every problem is listed, each with its field and line. */
export class StatementInvalidError extends DemarcheError {
  readonly issues: StatementIssue[];

  constructor(file: string, issues: StatementIssue[]) {
    const where = (i: StatementIssue) =>
      i.from
        ? ` (given as ${i.from}, not in ${file})`
        : i.line !== undefined
          ? ` (line ${i.line})`
          : '';
    const lines = issues.map((i) => `  - ${i.field}${where(i)}: ${i.message}`);
    const head =
      issues.length > 0 && issues.every((i) => i.from)
        ? `The values given with statement ${file} are invalid`
        : `Statement ${file} is invalid`;
    super('STATEMENT_INVALID', `${head}:\n${lines.join('\n')}`, {
      file,
      issues,
    });
    this.issues = issues;
  }
}

/** One bad row of a recipients CSV. The import goes on without it. */
export interface RowProblem {
  /** The physical line the row starts on (the header is line 1). */
  line: number;
  /** The line it ends on, when a quoted value carries it over several lines. */
  endLine?: number;
  /** The first field at fault ('' for the row as a whole). */
  field?: string;
  /** Every problem of the row, in words, field by field. */
  message: string;
  /** Each field's problem, when the row has more than one. */
  issues?: { field: string; message: string }[];
}

/** A recipients file that cannot be read at all (no header, missing columns). */
export class RecipientsFileError extends DemarcheError {
  constructor(file: string, message: string, line?: number) {
    super('RECIPIENTS_INVALID', `${file}${line !== undefined ? `:${line}` : ''}: ${message}`, {
      file,
      line,
    });
  }
}

/** An operation that the campaign's current state does not allow. */
export class CampaignStateError extends DemarcheError {
  constructor(campaignId: string, message: string, details: Record<string, unknown> = {}) {
    super('CAMPAIGN_STATE', `Campaign ${campaignId}: ${message}`, { campaignId, ...details });
  }
}

/** A campaign, recipient or other item that does not exist. */
export class NotFoundError extends DemarcheError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`, { what, id });
  }
}

/** Configuration (environment, context, options) that is missing or malformed. */
export class ConfigError extends DemarcheError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFIG_INVALID', message, details);
  }
}

/** A template that MJML refuses or that lacks a merge slot. */
export class TemplateError extends DemarcheError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('TEMPLATE_INVALID', message, details);
  }
}

/** The mail service asked us to slow down; the letter was not sent and may be retried. */
export class MailThrottledError extends DemarcheError {
  constructor(message: string) {
    super('MAIL_THROTTLED', message);
  }
}

/** The mail service refused this letter for good (bad address, rejected content). */
export class MailRejectedError extends DemarcheError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('MAIL_REJECTED', message, details);
  }
}

/** The outcome of a send call is not known (timeout, connection lost after the request left). */
export class MailOutcomeUnknownError extends DemarcheError {
  constructor(message: string) {
    super('MAIL_OUTCOME_UNKNOWN', message);
  }
}

/**
 * A job that must wait (campaign paused, send line too long); nothing was
 * sent. `afterMs` says how long waiting is worth; `drop` that the job is not
 * needed again (a paused campaign's `resume` queues its pending letters anew).
 */
export class RetryLaterError extends DemarcheError {
  constructor(
    message: string,
    readonly hint: { afterMs?: number; drop?: boolean } = {},
  ) {
    super('RETRY_LATER', message);
  }
}

/**
 * The mail service refuses every letter for a reason of the account or its
 * configuration (sending paused, account suspended, MAIL FROM or identity not
 * verified, access denied, configuration set missing). Nothing was sent, and
 * no retry helps until a person fixes the cause: the campaign pauses with
 * `reason` and `fix`, and `resume` sends the letters afterwards.
 */
export class MailAccountError extends DemarcheError {
  constructor(
    readonly reason: string,
    readonly fix: string,
    details: Record<string, unknown> = {},
  ) {
    super('MAIL_ACCOUNT', reason, { fix, ...details });
  }
}

/** A key rotation or retirement the key ring refuses (retiring the current key, an unknown id …). */
export class KeyRingError extends DemarcheError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KEY_RING_STATE', message, details);
  }
}
