/**
 * The deployment's senders: a statement may only send From an address the
 * deployment has verified with SES, and only ask for replies at its receipt
 * domain. Checked when a campaign is created (or its statement replaced), so
 * a foreign From is refused with the allowed values instead of failing every
 * letter at send time.
 */
import { StatementInvalidError, type StatementIssue } from './errors.js';
import type { Statement } from './statement.js';

export interface SenderRules {
  /** Allowed From addresses; an entry "@example.org" allows every address of that domain. */
  addresses: string[];
  /** The one domain reply addresses may be on. */
  replyDomain: string;
}

/** True when `address` is one of the allowed addresses or on an allowed domain. */
export function senderAllowed(address: string, rules: SenderRules): boolean {
  const a = address.trim().toLowerCase();
  const domain = a.slice(a.lastIndexOf('@'));
  return rules.addresses.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.startsWith('@') ? domain === e : a === e;
  });
}

/** Refuses a statement whose From or reply domain is not the deployment's, naming the field and the allowed values. */
export function checkSender(statement: Statement, rules: SenderRules, file: string): void {
  const issues: StatementIssue[] = [];
  if (!senderAllowed(statement.from.address, rules))
    issues.push({
      field: 'from',
      message: `${statement.from.address} is not a sender of this deployment; allowed: ${rules.addresses.join(', ')}`,
    });
  if (statement.replyToDomain.trim().toLowerCase() !== rules.replyDomain.toLowerCase())
    issues.push({
      field: 'replyToDomain',
      message: `${statement.replyToDomain} is not this deployment's reply domain; allowed: ${rules.replyDomain}`,
    });
  if (issues.length) throw new StatementInvalidError(file, issues);
}
