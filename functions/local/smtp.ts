/**
 * The local stand-in for SES inbound: an SMTP server (smtp-server) on
 * 127.0.0.1 that accepts mail only for the reply domain(s), refuses anything
 * over the size limit, checks SPF, DKIM and DMARC as SES does (mail-auth.ts),
 * writes the raw bytes with SES's header lines on top to the raw store and
 * invokes the inbound handler with an SES receipt event carrying the
 * verdicts, as SES's S3 and Lambda actions do in AWS. The client gets 250
 * once the reply is stored, 451 (try again) when storage failed, so a real
 * client's retry is the redelivery the inbound path is idempotent for.
 */
import { randomBytes } from 'node:crypto';
import type { SESEvent } from 'aws-lambda';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { deps } from '../adapters/deps.js';
import { handler as inboundHandler, rawKeyFor } from '../inbound/handler.js';
import { DEFAULT_LIMITS } from '../core/replies/parse.js';
import { checkReceived, type DnsResolver, systemResolver } from './mail-auth.js';

export interface LocalSmtpOptions {
  port: number;
  /** True when mail for this domain is accepted (the reply domains). */
  acceptsDomain: (domain: string) => Promise<boolean>;
  /** Largest message accepted, bytes (SMTP SIZE). */
  maxBytes?: number;
  /** DNS for the SPF, DKIM and DMARC checks; the system's by default. */
  resolver?: DnsResolver;
}

export interface LocalSmtp {
  port: number;
  stop(): Promise<void>;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/** The SES receipt event for one message, as the receipt rule's Lambda action sends it. */
export function receiptEvent(
  messageId: string,
  mailFrom: string,
  recipients: string[],
  at: Date,
  verdicts: Partial<Record<'spam' | 'virus' | 'spf' | 'dkim' | 'dmarc', string>> = {},
): SESEvent {
  const timestamp = at.toISOString();
  const status = (k: keyof typeof verdicts) =>
    ({ status: verdicts[k] ?? 'GRAY' }) as {
      status: 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';
    };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source: mailFrom,
            messageId,
            destination: recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: { returnPath: mailFrom, date: timestamp, messageId },
          },
          receipt: {
            timestamp,
            processingTimeMillis: 0,
            recipients,
            spamVerdict: status('spam'),
            virusVerdict: status('virus'),
            spfVerdict: status('spf'),
            dkimVerdict: status('dkim'),
            dmarcVerdict: status('dmarc'),
            action: { type: 'Lambda', functionArn: 'local:inbound', invocationType: 'Event' },
          },
        },
      },
    ],
  };
}

export async function startSmtp(opts: LocalSmtpOptions): Promise<LocalSmtp> {
  const maxBytes = opts.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  const resolver = opts.resolver ?? systemResolver();
  const server = new SMTPServer({
    name: 'demarche.local',
    banner: 'demarche local inbound (replies only)',
    size: maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      const domain = address.address.split('@').pop()?.toLowerCase() ?? '';
      opts
        .acceptsDomain(domain)
        .then((ok) =>
          ok
            ? callback()
            : callback(smtpError(550, `5.1.1 <${address.address}>: not a reply domain here`)),
        )
        .catch(() => callback(smtpError(451, '4.3.0 cannot check the recipient now')));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the limit only the count goes on: the bytes are dropped, never held.
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > maxBytes) {
          callback(smtpError(552, `5.3.4 message is over the ${maxBytes}-byte limit`));
          return;
        }
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const check = {
          ip: session.remoteAddress,
          helo: session.hostNameAppearsAs ?? '',
          mailFrom,
          rcpt: recipients,
        };
        deliver(raw, check, resolver)
          .then((id) => callback(null, `2.0.0 Ok: queued as ${id}`))
          .catch((err: unknown) =>
            callback(smtpError(451, `4.3.0 not stored, try again: ${(err as Error).message}`)),
          );
      });
    },
  });
  server.on('error', (err) => console.error(`local SMTP: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    port: opts.port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Checks the message, stores it with the receiving server's header lines on
 * top and hands it to the inbound handler, as SES's S3 and Lambda actions do.
 */
async function deliver(
  raw: Buffer,
  session: { ip: string; helo: string; mailFrom: string; rcpt: string[] },
  resolver: DnsResolver,
): Promise<string> {
  const messageId = `local-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
  const checked = await checkReceived(raw, { ...session, id: messageId }, resolver);
  await deps().rawStore.put(
    rawKeyFor(messageId),
    Buffer.concat([Buffer.from(checked.headers, 'latin1'), raw]),
  );
  await inboundHandler(
    receiptEvent(messageId, session.mailFrom, session.rcpt, new Date(), checked.verdicts),
  );
  return messageId;
}

/** The default reply domain of plain-text statements (DEMARCHE_REPLY_DOMAIN), as the launch command uses it. */
const DEFAULT_REPLY_DOMAIN = 'replies.demarche.example.org';

/**
 * Accepts the configured reply domain and the reply domain of any recent
 * campaign, as a receipt rule would list them in AWS.
 */
export async function knownReplyDomain(domain: string): Promise<boolean> {
  const configured = (process.env.DEMARCHE_REPLY_DOMAIN ?? DEFAULT_REPLY_DOMAIN).toLowerCase();
  if (domain === configured) return true;
  const campaigns = await deps().store.listCampaigns(200);
  return campaigns.some((c) => c.statement.replyToDomain.toLowerCase() === domain);
}
