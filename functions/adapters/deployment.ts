/**
 * The deployment's rules a server reads from its own environment, never from
 * a client: who may send (DEMARCHE_SENDER_ADDRESSES, DEMARCHE_REPLY_DOMAIN)
 * and the defaults of plain-text statements (DEMARCHE_FROM). Locally they
 * default to the example and demo values, so `npm start` and the examples
 * work as they are.
 */
import { ConfigError } from '../core/errors.js';
import type { SenderRules } from '../core/senders.js';
import { ENV } from './config.js';

/** The sender of examples/statement.md and of plain text without DEMARCHE_FROM. */
export const EXAMPLE_FROM = { name: 'demarche', address: 'campaigns@demarche.example.org' };
export const EXAMPLE_REPLY_DOMAIN = 'replies.demarche.example.org';

type Env = Record<string, string | undefined>;

/** DEMARCHE_FROM ("Name <address>"), the default sender of plain-text statements. */
export function defaultFrom(env: Env = process.env): { name: string; address: string } {
  const from = env[ENV.from];
  const m = from ? /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from) : null;
  if (m) return { name: m[1] || EXAMPLE_FROM.name, address: m[2]!.trim() };
  if (from && /^[^\s<>@]+@[^\s<>@]+$/.test(from.trim()))
    return { name: EXAMPLE_FROM.name, address: from.trim() };
  return EXAMPLE_FROM;
}

export function senderRulesFromEnv(env: Env = process.env): SenderRules {
  const listed = (env[ENV.senderAddresses] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of listed) {
    if (!/^[^\s@,]*@[^\s@,]+\.[^\s@,]+$/.test(entry))
      throw new ConfigError(
        `configuration is invalid: ${ENV.senderAddresses}: ${JSON.stringify(entry)} is neither an address nor "@domain"`,
      );
  }
  const addresses = listed.length
    ? listed
    : [...new Set([EXAMPLE_FROM.address, defaultFrom(env).address])];
  const replyDomain = (env[ENV.replyDomain] ?? EXAMPLE_REPLY_DOMAIN).trim().toLowerCase();
  return { addresses, replyDomain };
}
