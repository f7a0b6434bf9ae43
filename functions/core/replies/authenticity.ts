/**
 * Is a message from whom its From header says? We never judge that from the
 * message alone: the receiving server does (SES in AWS; the local SMTP server,
 * with mailauth, on a laptop), and hands us its verdicts in the receipt event
 * and one Authentication-Results header it puts on top of the message. A
 * sender can write Authentication-Results headers too, so only the first one
 * is read, and only when nothing but the receiving server's own fields
 * (Return-Path, Received, X-SES-*-Verdict, Received-SPF) stands above it and
 * it names the receiving server. The sender counts as authenticated when
 * DMARC passed or a DKIM signature that passed belongs to the From domain's
 * organisation (relaxed alignment, as DMARC defines it).
 */
import { getDomain } from 'tldts';
import type { HeaderField } from './mime/headers.js';
import type { AuthVerdict, Authenticity } from './types.js';

/** The authserv-id SES writes (and the local SMTP server, its stand-in, writes too). */
export const RECEIVER_ID = 'amazonses.com';

const RECEIVER_FIELDS = new Set([
  'return-path',
  'received',
  'x-ses-spam-verdict',
  'x-ses-virus-verdict',
  'received-spf',
]);

/** The receiving server's Authentication-Results value, by the rule in the file comment; else undefined. */
export function trustedAuthResults(
  fields: HeaderField[],
  receiver = RECEIVER_ID,
): string | undefined {
  for (const f of fields) {
    if (f.name === 'authentication-results') {
      const id = f.value.split(';', 1)[0]!.trim().split(/\s+/, 1)[0]!.toLowerCase();
      return id === receiver ? f.value.slice(0, 8192) : undefined;
    }
    if (!RECEIVER_FIELDS.has(f.name)) return undefined;
  }
  return undefined;
}

export interface AuthResult {
  method: string;
  result: string;
  props: Record<string, string>;
}

/** Splits an Authentication-Results value (RFC 8601) into method results, comments dropped, in one pass. */
export function parseAuthResults(value: string): { authservId: string; results: AuthResult[] } {
  const clauses: string[] = [];
  let buf = '';
  let comment = 0;
  let quote = false;
  for (const ch of value.slice(0, 8192)) {
    if (quote) {
      if (ch === '"') quote = false;
      else buf += ch;
    } else if (comment) {
      if (ch === '(') comment++;
      else if (ch === ')') comment--;
    } else if (ch === '(') {
      comment = 1;
      buf += ' ';
    } else if (ch === '"') quote = true;
    else if (ch === ';') {
      clauses.push(buf);
      buf = '';
    } else buf += ch;
  }
  clauses.push(buf);
  const authservId = (clauses.shift() ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const results: AuthResult[] = [];
  for (const clause of clauses) {
    const tokens = clause.trim().split(/\s+/).filter(Boolean);
    const first = tokens.shift();
    if (!first?.includes('=')) continue;
    const [method, result] = first.split('=', 2) as [string, string];
    const props: Record<string, string> = {};
    for (const t of tokens) {
      const eq = t.indexOf('=');
      if (eq > 0) props[t.slice(0, eq).toLowerCase()] = t.slice(eq + 1);
    }
    results.push({ method: method.toLowerCase(), result: result.toLowerCase(), props });
  }
  return { authservId, results };
}

const VERDICTS: AuthVerdict[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED'];
const verdictOf = (v: string | undefined): AuthVerdict =>
  VERDICTS.includes(v?.toUpperCase() as AuthVerdict) ? (v!.toUpperCase() as AuthVerdict) : 'GRAY';

/** The organisational domain (relaxed DMARC alignment): example.gov.hr for mfa.example.gov.hr. */
export const organisation = (domain: string): string => getDomain(domain) ?? domain;

/** True when two domains align under DMARC's relaxed rule (same organisational domain). */
export function aligned(a: string, b: string): boolean {
  return organisation(a.toLowerCase()) === organisation(b.toLowerCase());
}

/** The authenticity verdict of a message; see the file comment. */
export function judgeAuthenticity(input: {
  verdicts?: Record<string, string>;
  authResults?: string;
  from?: string;
}): Authenticity {
  const fromDomain = input.from?.split('@').pop()?.toLowerCase();
  const v = input.verdicts;
  if (!v || !Object.keys(v).length) {
    return {
      checkedBy: 'not checked',
      spf: 'GRAY',
      dkim: 'GRAY',
      dmarc: 'GRAY',
      spam: 'GRAY',
      virus: 'GRAY',
      dkimDomains: [],
      ...(fromDomain ? { fromDomain } : {}),
      senderAuthenticated: false,
      summary: 'not checked: the receiving server gave no verdicts, so the sender is unverified',
    };
  }
  const dkim = verdictOf(v.dkim);
  const dmarc = verdictOf(v.dmarc);
  const parsed = input.authResults ? parseAuthResults(input.authResults) : undefined;
  // The domains are read from the header only when the receipt itself says DKIM passed.
  const dkimDomains =
    dkim === 'PASS' && parsed
      ? [
          ...new Set(
            parsed.results
              .filter((r) => r.method === 'dkim' && r.result === 'pass')
              .map((r) =>
                (r.props['header.d'] ?? r.props['header.i']?.split('@').pop() ?? '').toLowerCase(),
              )
              .filter((d) => /^[a-z0-9.-]{1,253}$/.test(d)),
          ),
        ].slice(0, 10)
      : [];
  const alignedDomain = fromDomain ? dkimDomains.find((d) => aligned(d, fromDomain)) : undefined;
  const senderAuthenticated = !!fromDomain && (dmarc === 'PASS' || alignedDomain !== undefined);
  const parts = [
    `DMARC ${dmarc.toLowerCase()}`,
    `DKIM ${dkim.toLowerCase()}${
      dkimDomains.length
        ? ` (${dkimDomains.map((d) => (d === alignedDomain ? `${d}, aligned with the From domain` : d)).join('; ')})`
        : ''
    }`,
    `SPF ${verdictOf(v.spf).toLowerCase()}`,
    `spam ${verdictOf(v.spam).toLowerCase()}`,
    `virus ${verdictOf(v.virus).toLowerCase()}`,
  ];
  return {
    checkedBy: parsed?.authservId || RECEIVER_ID,
    spf: verdictOf(v.spf),
    dkim,
    dmarc,
    spam: verdictOf(v.spam),
    virus: verdictOf(v.virus),
    dkimDomains,
    ...(fromDomain ? { fromDomain } : {}),
    senderAuthenticated,
    summary: `${senderAuthenticated ? 'sender authenticated' : 'sender not authenticated'}: ${parts.join(' · ')}`,
  };
}
