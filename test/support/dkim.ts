/**
 * A DKIM key of the tests' own, published in a local DNS zone the local
 * runtime's SMTP server checks against, and signing of test mail with it:
 * what a ministry's mail server does for its domain.
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import type { DnsZone } from '../../functions/local/mail-auth.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SELECTOR = 'sel2026';

/** A zone where each domain publishes the key, DMARC `p=reject` and an SPF record that allows no one. */
export function dkimZone(domains: string[]): DnsZone {
  const key = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return Object.fromEntries(
    domains.flatMap((d) => [
      [`${SELECTOR}._domainkey.${d}`, { TXT: [[`v=DKIM1; k=rsa; p=${key}`]] }],
      [`_dmarc.${d}`, { TXT: [['v=DMARC1; p=reject']] }],
      [d, { TXT: [['v=spf1 -all']] }],
    ]),
  );
}

/** The message with CRLF line ends (as it travels) and a DKIM signature of `domain` on top. */
export async function dkimSigned(message: Buffer, domain: string): Promise<Buffer> {
  const raw = Buffer.from(message.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  // mailauth's declared type names the fields of one signature; the signer reads signatureData.
  const out = await dkimSign(raw, {
    signatureData: [
      {
        signingDomain: domain,
        selector: SELECTOR,
        privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }),
      },
    ],
  } as never);
  return Buffer.concat([Buffer.from(out.signatures), raw]);
}
