/**
 * The local SES event source: a small HTTP proxy in front of the local SES v2
 * endpoint. Every request passes through unchanged (the inbox, GET /store);
 * each SendEmail that the endpoint accepts produces the events SES would
 * publish to EventBridge for it, in EventBridge's format, so that the real
 * events handler consumes them from a queue as it does in AWS.
 *
 * Send and Delivery for every accepted message, and the mailbox simulator's
 * behaviour for its addresses: bounce@ (hard bounce), suppressionlist@
 * (hard bounce, on the suppression list), complaint@ (delivery, then a
 * complaint), ooto@ (delivered, then an out-of-office auto-reply to the
 * letter's Reply-To through the local SMTP server, as a mail server would send).
 *
 * It also answers SES's identity and configuration-set reads, which the local
 * endpoint lacks, with the truth about the local identities and configuration
 * set (ses-account.ts): preflight asks them as it asks SES.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createTransport } from 'nodemailer';
import { keepIdleConnections } from './keep-alive.js';
import { localSesRead } from './ses-account.js';

export interface LocalSesEvents {
  endpoint: string;
  port: number;
  /** Events emitted so far. */
  emitted: number;
  stop(): Promise<void>;
}

export interface SesEventsOptions {
  port: number;
  /** The SES endpoint to forward to. */
  target: string;
  /** Receives each EventBridge event (the runtime puts it on the events queue). */
  emit: (event: Record<string, unknown>) => void;
  region?: string;
  /** The local SMTP port the ooto@ simulator's auto-reply goes to; undefined sends none. */
  smtpPort?: () => number | undefined;
  /**
   * SES's clock, for its events' times: the runtime's (a test's clock included), as
   * SES's clock and Lambda's agree in AWS. Default: the system clock.
   */
  now?: () => number;
}

const SIMULATOR =
  /^(bounce|complaint|ooto|suppressionlist|success)(\+[^@]*)?@simulator\.amazonses\.com$/i;
const ACCOUNT = '000000000000';
const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

interface SendRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  EmailTags?: { Name: string; Value: string }[];
  ConfigurationSetName?: string;
  ReplyToAddresses?: string[];
  Content?: { Raw?: { Data?: string }; Simple?: { Subject?: { Data?: string } } };
}

/**
 * The account-level suppression list, as SES keeps it: an address that hard
 * bounced or complained is added (the account suppresses BOUNCE and
 * COMPLAINT, ses-account.ts), and SES v2's GetSuppressedDestination and
 * DeleteSuppressedDestination read and remove it. Erasure removes a
 * forgotten person from it.
 */
export function suppressionRequest(
  list: Map<string, string>,
  method: string,
  path: string,
): { status: number; body: unknown } | undefined {
  const m = /^\/v2\/email\/suppression\/addresses\/([^/?]+)$/.exec(path);
  if (!m) return undefined;
  const address = decodeURIComponent(m[1]!).toLowerCase();
  const reason = list.get(address);
  const notFound = {
    status: 404,
    body: { message: `Email address ${address} does not exist on your suppression list.` },
  };
  if (method === 'GET')
    return reason
      ? {
          status: 200,
          body: {
            SuppressedDestination: {
              EmailAddress: address,
              Reason: reason,
              LastUpdateTime: new Date().toISOString(),
            },
          },
        }
      : notFound;
  if (method === 'DELETE') {
    if (!reason) return notFound;
    list.delete(address);
    return { status: 200, body: {} };
  }
  return undefined;
}

export async function startSesEvents(opts: SesEventsOptions): Promise<LocalSesEvents> {
  const state = { emitted: 0, suppressed: new Map<string, string>() };
  const server: Server = createServer((req, res) => {
    void forward(req, res, opts, state);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    keepIdleConnections(server);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${opts.port}`,
    port: opts.port,
    get emitted() {
      return state.emitted;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  opts: SesEventsOptions,
  state: { emitted: number; suppressed: Map<string, string> },
): Promise<void> {
  // When SES received the message: its events' times count from here, as SES's do.
  const received = (opts.now ?? Date.now)();
  try {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(',') : v;
    }
    const method = req.method ?? 'GET';
    const path = (req.url ?? '').split('?')[0]!;
    const local = localSesRead(method, path) ?? suppressionRequest(state.suppressed, method, path);
    if (local) {
      res.writeHead(local.status, {
        'content-type': 'application/json',
        ...(local.status === 404 ? { 'x-amzn-errortype': 'NotFoundException' } : {}),
      });
      res.end(JSON.stringify(local.body));
      return;
    }
    const answer = await fetch(`${opts.target}${req.url ?? '/'}`, {
      method,
      headers,
      ...(method !== 'GET' && method !== 'HEAD' ? { body } : {}),
    });
    const out = Buffer.from(await answer.arrayBuffer());
    const type = answer.headers.get('content-type');
    res.writeHead(answer.status, type ? { 'content-type': type } : {}).end(out);

    if (method === 'POST' && path === '/v2/email/outbound-emails' && answer.ok) {
      const request = JSON.parse(body.toString('utf8')) as SendRequest;
      const { MessageId } = JSON.parse(out.toString('utf8')) as { MessageId?: string };
      if (MessageId) {
        // eventsFor stamps from `now - 600 ms`: the mail's timestamp is its reception.
        const now = new Date(received + 600);
        for (const e of eventsFor(request, MessageId, now, opts.region ?? 'eu-west-1')) {
          opts.emit(e);
          state.emitted++;
          const detail = e.detail as { eventType?: string; bounce?: { bounceType?: string } };
          const to = destinationOf(request)[0]?.toLowerCase();
          if (to && detail.eventType === 'Complaint') state.suppressed.set(to, 'COMPLAINT');
          if (to && detail.bounce?.bounceType === 'Permanent') state.suppressed.set(to, 'BOUNCE');
        }
        const port = opts.smtpPort?.();
        if (
          port &&
          /^ooto(\+[^@]*)?@simulator\.amazonses\.com$/i.test(destinationOf(request)[0] ?? '')
        ) {
          // An auto-reply follows the delivery: sent once the Delivery event's time has passed,
          // so the recipient's timeline reads send, delivery, reply as it does in AWS.
          const wait = Math.max(0, received + 700 - (opts.now ?? Date.now)());
          setTimeout(() => {
            outOfOffice(port, request, MessageId).catch((err: unknown) =>
              process.stderr.write(`local SES events: no auto-reply: ${(err as Error).message}\n`),
            );
          }, wait);
        }
      }
    }
  } catch (err) {
    process.stderr.write(`local SES events: ${(err as Error).stack ?? String(err)}\n`);
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'local SES proxy error' }));
  }
}

/** The EventBridge events SES would publish for one accepted message. */
export function eventsFor(
  request: SendRequest,
  messageId: string,
  now: Date,
  region: string,
): Record<string, unknown>[] {
  const destination = destinationOf(request);
  const tags: Record<string, string[]> = {};
  for (const t of request.EmailTags ?? []) tags[t.Name] = [t.Value];
  if (request.ConfigurationSetName) tags['ses:configuration-set'] = [request.ConfigurationSetName];
  tags['ses:from-domain'] = [(request.FromEmailAddress ?? '').replace(/.*@|>.*/g, '')];
  // Timestamps from `now - 600 ms` (the mail's reception) to `now` (its delivery).
  const at = (ms: number) => new Date(now.getTime() - 600 + ms).toISOString();
  const mail = {
    timestamp: at(0),
    source: request.FromEmailAddress ?? '',
    sourceArn: `arn:aws:ses:${region}:${ACCOUNT}:identity/${tags['ses:from-domain']![0]}`,
    sendingAccountId: ACCOUNT,
    messageId,
    destination,
    headersTruncated: false,
    tags,
  };
  const envelope = (detailType: string, detail: Record<string, unknown>) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    account: ACCOUNT,
    time: now.toISOString(),
    region,
    resources: request.ConfigurationSetName
      ? [`arn:aws:ses:${region}:${ACCOUNT}:configuration-set/${request.ConfigurationSetName}`]
      : [],
    detail: { mail, ...detail },
  });
  const to = destination[0] ?? '';
  const sim = SIMULATOR.exec(to)?.[1]?.toLowerCase();
  const events = [envelope('Email Sent', { eventType: 'Send', send: {} })];
  const delivered = () =>
    envelope('Email Delivered', {
      eventType: 'Delivery',
      delivery: {
        timestamp: at(400),
        processingTimeMillis: 400,
        recipients: destination,
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'a8-70.smtp-out.amazonses.com',
      },
    });
  const bounce = (subType: string, diagnostic: string) =>
    envelope('Email Bounced', {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: subType,
        bouncedRecipients: [
          { emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: diagnostic },
        ],
        timestamp: at(600),
        feedbackId: `${messageId}-bounce`,
        reportingMTA: 'dns; amazonses.com',
      },
    });
  if (sim === 'bounce') events.push(bounce('General', 'smtp; 550 5.1.1 user unknown'));
  else if (sim === 'suppressionlist')
    events.push(
      bounce(
        'OnAccountSuppressionList',
        'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
      ),
    );
  else {
    events.push(delivered());
    if (sim === 'complaint') {
      events.push(
        envelope('Email Complaint Received', {
          eventType: 'Complaint',
          complaint: {
            complainedRecipients: [{ emailAddress: to }],
            timestamp: at(600),
            feedbackId: `${messageId}-complaint`,
            complaintFeedbackType: 'abuse',
            userAgent: 'Amazon SES Mailbox Simulator',
          },
        }),
      );
    }
  }
  return events;
}

function destinationOf(request: SendRequest): string[] {
  return [
    ...(request.Destination?.ToAddresses ?? []),
    ...(request.Destination?.CcAddresses ?? []),
    ...(request.Destination?.BccAddresses ?? []),
  ].map((a) => a.replace(/^.*<([^>]+)>\s*$/, '$1').trim());
}

/** The header of a raw MIME message (first occurrence, unfolded), or undefined. */
function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return m?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

/**
 * What the mailbox simulator's ooto@ address does after delivery: an
 * automatic out-of-office answer to the letter's Reply-To (or sender), marked
 * as automatic (RFC 3834), delivered to the local SMTP server like any reply.
 */
async function outOfOffice(port: number, request: SendRequest, messageId: string): Promise<void> {
  const raw = request.Content?.Raw?.Data
    ? Buffer.from(request.Content.Raw.Data, 'base64').toString('utf8')
    : '';
  const replyTo =
    request.ReplyToAddresses?.[0] ?? rawHeader(raw, 'Reply-To') ?? request.FromEmailAddress ?? '';
  const to = replyTo.replace(/^.*<([^>]+)>\s*$/, '$1').trim();
  if (!to.includes('@')) return;
  const subject = request.Content?.Simple?.Subject?.Data ?? rawHeader(raw, 'Subject') ?? '';
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: 'ooto@simulator.amazonses.com',
      to,
      subject: `Out of the office: ${subject}`.slice(0, 200),
      text: 'I am out of the office until next week and will read your message on my return.',
      inReplyTo: `<${messageId}@email.amazonses.com>`,
      references: [`<${messageId}@email.amazonses.com>`],
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
    });
  } finally {
    transport.close();
  }
}
