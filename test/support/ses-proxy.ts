/**
 * A fault-injecting HTTP proxy in front of the local SES v2 endpoint. The
 * real SES mailer talks to it as to SES; it forwards every request, and for
 * SendEmail can first answer 429 TooManyRequests (as SES does when the send
 * rate is exceeded), refuse everything as an account in trouble does
 * (SendingPausedException, AccessDeniedException …), or add latency; and it
 * can answer the account and identity reads (GetAccount, GetEmailIdentity)
 * as a differently configured account would. It records every SendEmail that reached
 * SES with its arrival time, tags and MessageId: the stand-in for SES's own
 * Send events, which carry the same tags.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { SesMailer, sesClient } from '../../functions/adapters/ses-mailer.js';
import { keepIdleConnections } from '../../functions/local/keep-alive.js';

export interface ProxiedSend {
  /** Arrival at the proxy, epoch ms (the moment SES would count the request). */
  at: number;
  to: string[];
  tags: Record<string, string>;
  status: number;
  messageId?: string;
}

export interface SesProxyFaults {
  /** Answer this share of SendEmail calls (0..1) with 429 TooManyRequests, without forwarding. */
  throttleRate?: number;
  /** Answer the first N SendEmail calls with 429. */
  throttleFirst?: number;
  /** Added before forwarding each SendEmail, in ms (a number, or [min, max] for a random spread). */
  latencyMs?: number | [number, number];
  /** Addresses SES refuses for good (400 MessageRejected), as it does a malformed or blocked address. */
  rejectTo?: Set<string>;
  /**
   * Once `after` SendEmail calls have been let through, answer every later one
   * with this SES error (name, HTTP status, message), until the fault is removed.
   * Counted on arrival, not on SES's answer: on a loaded machine a whole
   * campaign's sends can be in flight before the first answer comes back.
   */
  accountError?: { after?: number; name: string; status: number; message: string };
  /**
   * Answers for reads of the account and its identities instead of forwarding
   * them: path (e.g. /v2/email/account) → status and JSON body.
   */
  answers?: Record<string, { status: number; body: unknown }>;
}

export interface SesProxy {
  url: string;
  /** SendEmail calls that reached SES and were answered 200. */
  sends: ProxiedSend[];
  /** SendEmail calls answered 429 by the proxy. */
  throttled: number;
  /** SendEmail calls answered with the account error. */
  refused: number;
  faults: SesProxyFaults;
  stop(): Promise<void>;
}

const SEND_PATH = '/v2/email/outbound-emails';

type Named = { name?: string };

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startSesProxy(
  target: string,
  faults: SesProxyFaults = {},
): Promise<SesProxy> {
  let sendCalls = 0;
  let letThrough = 0;
  const proxy: Omit<SesProxy, 'url' | 'stop'> = { sends: [], throttled: 0, refused: 0, faults };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const at = Date.now();
      const raw = await body(req);
      const isSend = req.method === 'POST' && req.url === SEND_PATH;
      const canned = req.method === 'GET' ? proxy.faults.answers?.[req.url ?? ''] : undefined;
      if (canned) {
        const error =
          canned.status >= 400 ? { 'x-amzn-errortype': String((canned.body as Named).name) } : {};
        res.writeHead(canned.status, { 'content-type': 'application/json', ...error });
        res.end(JSON.stringify(canned.body));
        return;
      }
      if (isSend) {
        const n = ++sendCalls;
        const f = proxy.faults;
        if (f.accountError && letThrough >= (f.accountError.after ?? 0)) {
          proxy.refused++;
          res.writeHead(f.accountError.status, {
            'content-type': 'application/json',
            'x-amzn-errortype': f.accountError.name,
          });
          res.end(JSON.stringify({ message: f.accountError.message }));
          return;
        }
        letThrough++;
        if (
          (f.throttleFirst !== undefined && n <= f.throttleFirst) ||
          (f.throttleRate !== undefined && Math.random() < f.throttleRate)
        ) {
          proxy.throttled++;
          res.writeHead(429, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'TooManyRequestsException',
          });
          res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
          return;
        }
        const to = (
          JSON.parse(raw.toString('utf8')) as { Destination?: { ToAddresses?: string[] } }
        ).Destination?.ToAddresses?.[0];
        if (to && f.rejectTo?.has(to)) {
          res.writeHead(400, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'MessageRejected',
          });
          res.end(JSON.stringify({ message: `Email address is not valid: ${to}` }));
          return;
        }
        const latency = Array.isArray(f.latencyMs)
          ? f.latencyMs[0] + Math.random() * (f.latencyMs[1] - f.latencyMs[0])
          : (f.latencyMs ?? 0);
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
      }
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        ...(raw.length ? { body: raw } : {}),
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      if (isSend) {
        const sent = JSON.parse(raw.toString('utf8')) as {
          Destination?: { ToAddresses?: string[] };
          EmailTags?: { Name: string; Value: string }[];
        };
        const record: ProxiedSend = {
          at,
          to: sent.Destination?.ToAddresses ?? [],
          tags: Object.fromEntries((sent.EmailTags ?? []).map((t) => [t.Name, t.Value])),
          status: upstream.status,
        };
        if (upstream.ok) {
          record.messageId = (
            JSON.parse(answer.toString('utf8')) as { MessageId: string }
          ).MessageId;
          proxy.sends.push(record);
        }
      }
      const errorType = upstream.headers.get('x-amzn-errortype');
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(answer);
    })().catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${(err as Error).message}`);
    });
  });
  // As the runtime's servers do: a send on a socket this proxy had closed after
  // five idle seconds failed ("socket hang up") and its letter was held as unknown.
  keepIdleConnections(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    ...proxy,
    get sends() {
      return proxy.sends;
    },
    get throttled() {
      return proxy.throttled;
    },
    get refused() {
      return proxy.refused;
    },
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * For a test file: `through(faults)` starts a fault proxy in front of the
 * runtime's SES endpoint and points the sender's mailer at it; after each
 * test the mailer talks to the local SES directly again and the proxy stops.
 */
export function useSesProxy(
  runtime: () => { sesEndpoint: string },
): (faults?: SesProxyFaults) => Promise<SesProxy> {
  let proxy: SesProxy | undefined;
  const mailer = (endpoint: string) => new SesMailer(sesClient({ region: 'eu-west-1', endpoint }));
  afterEach(async () => {
    setDeps({ mailer: mailer(runtime().sesEndpoint) });
    await proxy?.stop();
    proxy = undefined;
  });
  return async (faults = {}) => {
    proxy = await startSesProxy(runtime().sesEndpoint, faults);
    setDeps({ mailer: mailer(proxy.url) });
    return proxy;
  };
}
