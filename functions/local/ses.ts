/**
 * The local SES v2 endpoint (`aws-ses-v2-local`), run in-process: the
 * sender's SES client talks to it over HTTP exactly as it would to AWS, and
 * its web inbox shows every letter. With a data folder the inbox is kept
 * there (the most recent letters, see INBOX_KEPT), so that after a restart
 * the inbox still shows the letters of the campaigns the folder holds.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import sesModule from 'aws-ses-v2-local';
import { keepIdleConnections } from './keep-alive.js';

/** The inbox kept on disk: the most recent letters, so that the file stays a few tens of MB. */
export const INBOX_KEPT = 2_000;

// The package's in-memory store (the emails its inbox and GET /store show);
// it has no export for it but its dist module, which CommonJS can require.
const store = (
  createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as {
    getStoreReadonly(): { emails: unknown[] };
  }
).getStoreReadonly();

/** Loads the kept inbox into the store, once per process. */
function loadInbox(file: string): void {
  if (!existsSync(file) || store.emails.length) return;
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    if (Array.isArray(kept)) store.emails.push(...kept);
  } catch {
    // A torn or foreign file: the inbox starts empty, as it would without one.
  }
}

function saveInbox(file: string): void {
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(store.emails.slice(-INBOX_KEPT)));
    renameSync(tmp, file);
  } catch {
    // The data folder is gone (removed while the runtime stopped): there is nothing to keep.
  }
}

// A CommonJS module with `exports.default`: under Node's ESM interop the function sits one level down.
type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;
const sesServer: StartServer =
  (sesModule as unknown as { default?: StartServer }).default ??
  (sesModule as unknown as StartServer);

export interface LocalSes {
  endpoint: string;
  inboxUrl: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The policy of the inbox page (GET /). The inbox renders every letter's HTML
 * in a frame of its own page as soon as it loads, hidden or not, so without
 * it every NGO letter's open pixel would fire whenever staff look at the
 * inbox, and the demo would report opens nobody made. The frames are
 * about:blank documents and inherit this policy: images load only from the
 * inbox itself or data: addresses, never from the tracking routes. Links
 * still work: clicking one in a letter is acting as its recipient, and counts
 * as a click, as it would in their mail program. Scripts and styles are left
 * as the inbox needs them (it is all inline).
 */
export const INBOX_CSP = "img-src 'self' data:";

export async function startSes(opts: {
  port: number;
  /** Where the inbox is kept between runs (the data folder's ses-inbox.json); none: in memory only. */
  inboxFile?: string;
}): Promise<LocalSes> {
  const { inboxFile } = opts;
  if (inboxFile) loadInbox(inboxFile);
  const server: Server = await sesServer({ host: '127.0.0.1', port: opts.port });
  keepIdleConnections(server);
  withInboxPolicy(server);
  const endpoint = `http://127.0.0.1:${opts.port}`;
  // Saved every few seconds while letters arrive, and at stop: a killed runtime loses seconds.
  let saved = store.emails.length;
  const timer = inboxFile
    ? setInterval(() => {
        if (store.emails.length === saved) return;
        saved = store.emails.length;
        saveInbox(inboxFile);
      }, 5_000)
    : undefined;
  timer?.unref();
  return {
    endpoint,
    inboxUrl: `http://localhost:${opts.port}/`,
    port: opts.port,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        if (inboxFile) saveInbox(inboxFile);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Puts INBOX_CSP on the inbox page, ahead of the SES endpoint's own (express) request handler. */
function withInboxPolicy(server: Server): void {
  const handlers = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/' || path === '/index.html'))
      res.setHeader('content-security-policy', INBOX_CSP);
    for (const handle of handlers) handle(req, res);
  });
}

/** An email as the local SES endpoint stores it (GET /store). */
export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** Reads every email the local SES endpoint holds, over its HTTP API. */
export async function sesStore(endpoint: string): Promise<StoredEmail[]> {
  const res = await fetch(`${endpoint}/store`);
  if (!res.ok) throw new Error(`SES store answered ${res.status}`);
  const data = (await res.json()) as { emails: StoredEmail[] };
  // Raw messages are stored with their header text ("Name <address>"); callers look letters up by address.
  const bare = (a: string) => /<([^<>]+)>\s*$/.exec(a)?.[1] ?? a;
  return data.emails.map((e) => ({
    ...e,
    destination: {
      to: e.destination.to.map(bare),
      cc: e.destination.cc.map(bare),
      bcc: e.destination.bcc.map(bare),
    },
    replyTo: e.replyTo.map(bare),
  }));
}
