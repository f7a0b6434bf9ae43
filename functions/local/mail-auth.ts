/**
 * What SES's receiving side does to a message before it stores it, done
 * locally: SPF, DKIM and DMARC checked by mailauth (a maintained
 * implementation of all three, and ARC), the verdicts put in the receipt
 * event, and the same header lines SES writes on top of the stored message
 * (Received, X-SES-Spam-Verdict, X-SES-Virus-Verdict, Received-SPF and
 * `Authentication-Results: amazonses.com; …`). The DNS look-ups go through a
 * resolver the runtime is given: the system's (with a short timeout, so an
 * offline laptop answers "could not check" quickly) or a zone held in memory,
 * which tests use to publish their own DKIM keys and DMARC policies.
 * Spam and virus are not scanned locally: GRAY, as SES reports an unscanned
 * message.
 */
import { Resolver } from 'node:dns/promises';
import { authenticate } from 'mailauth';
import { RECEIVER_ID } from '../core/replies/authenticity.js';
import type { AuthVerdict } from '../core/replies/types.js';

export type DnsResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

/** Records by name (lower case) and type: TXT values are lists of strings, as DNS splits them. */
export type DnsZone = Record<
  string,
  Partial<Record<'TXT' | 'MX' | 'A' | 'AAAA', string[][] | string[]>>
>;

/** A resolver that answers from `zone` and says "no such name" for anything else, at once. */
export function zoneResolver(zone: DnsZone): DnsResolver {
  return async (name, rrtype) => {
    const records = zone[name.toLowerCase().replace(/\.$/, '')]?.[rrtype as 'TXT'];
    if (records) return records;
    throw Object.assign(new Error(`${rrtype} ${name}: not in the local zone`), {
      code: 'ENOTFOUND',
    });
  };
}

/** The system's resolver, giving up after two seconds per look-up. */
export function systemResolver(): DnsResolver {
  const r = new Resolver({ timeout: 2000, tries: 1 });
  return (name, rrtype) => r.resolve(name, rrtype) as Promise<string[][] | string[]>;
}

export interface ReceivedCheck {
  /** The header lines to put on top of the stored message (CRLF-terminated). */
  headers: string;
  verdicts: Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', AuthVerdict>;
}

const verdict = (result: string | undefined): AuthVerdict => {
  switch (result) {
    case 'pass':
      return 'PASS';
    case 'fail':
    case 'softfail':
    case 'policy':
      return 'FAIL';
    case 'temperror':
    case 'temperr':
    case 'permerror':
      return 'PROCESSING_FAILED';
    default:
      return 'GRAY';
  }
};

/** Time a check may take before the message is stored as "could not be checked". */
const CHECK_MS = 5000;

/**
 * Checks a message as SES's receiving side would; never throws: a check
 * that fails or runs out of time gives PROCESSING_FAILED verdicts.
 */
export async function checkReceived(
  raw: Buffer,
  session: { ip: string; helo: string; mailFrom: string; id: string; rcpt: string[] },
  resolver: DnsResolver,
): Promise<ReceivedCheck> {
  const received =
    `Received: from ${session.helo.replace(/[^\w.:[\]-]/g, '') || 'unknown'} (${session.ip}) by demarche.local with SMTP id ${session.id}` +
    `${session.rcpt[0] ? ` for ${session.rcpt[0].replace(/[\r\n]/g, '')}` : ''}; ${new Date().toUTCString()}\r\n` +
    'X-SES-Spam-Verdict: GRAY\r\nX-SES-Virus-Verdict: GRAY\r\n';
  let timer: NodeJS.Timeout | undefined;
  try {
    const res = await Promise.race([
      authenticate(raw, {
        ip: session.ip,
        helo: session.helo,
        sender: session.mailFrom,
        mta: RECEIVER_ID,
        resolver,
        disableBimi: true,
        disableArc: false,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`checks took over ${CHECK_MS} ms`)), CHECK_MS);
      }),
    ]);
    // A signature that does not verify (mailauth says "neutral" for a body hash mismatch) fails, as SES reports it.
    const dkimResults = res.dkim.results.map((r) =>
      r.status.result === 'neutral' ? 'FAIL' : verdict(r.status.result),
    );
    const dkim: AuthVerdict = dkimResults.includes('PASS')
      ? 'PASS'
      : dkimResults.includes('FAIL')
        ? 'FAIL'
        : dkimResults.includes('PROCESSING_FAILED')
          ? 'PROCESSING_FAILED'
          : 'GRAY';
    return {
      headers: received + res.headers,
      verdicts: {
        spam: 'GRAY',
        virus: 'GRAY',
        spf: res.spf ? verdict(res.spf.status.result) : 'GRAY',
        dkim,
        dmarc: res.dmarc ? verdict(res.dmarc.status.result) : 'GRAY',
      },
    };
  } catch (err) {
    const why = (err as Error).message.replace(/[\r\n]+/g, ' ').slice(0, 200);
    return {
      headers: `${received}Authentication-Results: ${RECEIVER_ID}; none (checks failed: ${why.replace(/[()]/g, '')})\r\n`,
      verdicts: {
        spam: 'GRAY',
        virus: 'GRAY',
        spf: 'PROCESSING_FAILED',
        dkim: 'PROCESSING_FAILED',
        dmarc: 'PROCESSING_FAILED',
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
