/**
 * The local runtime: real stand-ins for the AWS services, wired to the same
 * handlers Lambda runs. DynamoDB Local (child process), the SES v2 endpoint
 * and the send queue (in-process). Its only local-only code is this wiring.
 *
 * A runtime started with a data folder writes `runtime.json` there, so that a
 * second process (the CLI while `npm start` keeps serving) uses the same
 * DynamoDB Local and SES endpoint instead of starting its own.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ENV } from '../adapters/config.js';
import { deps, resetDeps, setDeps, type Deps } from '../adapters/deps.js';
import { handler as senderHandler } from '../sender/handler.js';
import { handler as schedulerHandler } from '../scheduler/handler.js';
import { LOCAL_CONFIGURATION_SET, LOCAL_SENDING_DOMAINS, localSesAccount } from './ses-account.js';
import { sendingDomainZone, startDns, type LocalDns } from './dns.js';
import { ensureTable, startDynamo, type LocalDynamo } from './dynamodb.js';
import { freePort } from './ports.js';
import { LocalQueue, type LocalQueueOptions } from './queue.js';
import { resetSecret } from '../adapters/secret.js';
import { startHttp, type LocalHttp } from './http.js';
import { knownReplyDomain, startSmtp, type LocalSmtp } from './smtp.js';
import { FileRawStore } from '../adapters/raw-store.js';
import { startSes, type LocalSes } from './ses.js';
import { startSesEvents, type LocalSesEvents } from './ses-events.js';
import { handler as eventsHandler } from '../events/handler.js';
import { RecordedMetrics } from '../adapters/metrics.js';
import { envelope } from '../core/events/envelope.js';

export interface RuntimeOptions {
  /** Folder for DynamoDB data and runtime.json; omit for an in-memory runtime (tests). */
  dataDir?: string;
  dynamoPort?: number;
  sesPort?: number;
  httpPort?: number;
  smtpPort?: number;
  table?: string;
  queue?: LocalQueueOptions;
  /** Reuse a runtime already serving from `dataDir` (default true). */
  reuse?: boolean;
  /** How often the scheduler ticks (scheduled launches, deadline expiry); 0 turns it off. Default 1000 ms. */
  schedulerTickMs?: number;
  /** Publish SES events (Send, Delivery …) for what the local SES endpoint accepts; default true. */
  sesEvents?: boolean;
}

export interface LocalRuntime {
  dynamoEndpoint: string;
  sesEndpoint: string;
  inboxUrl: string;
  /** Base URL of the local HTTP layer (tracking, web version, API, dashboard). */
  httpUrl: string;
  /** Port of the local SMTP server that takes replies (127.0.0.1). */
  smtpPort: number;
  table: string;
  queue: LocalQueue;
  /** SES events (EventBridge format) from the SES proxy, consumed by the events handler. */
  eventsQueue: LocalQueue;
  /** What the handlers emitted as metrics (Powertools EMF in AWS, where the alarms read it). */
  metrics: RecordedMetrics;
  /** True when this process started the services (false: attached to a running runtime). */
  owner: boolean;
  deps(): Deps;
  dynamo?: LocalDynamo;
  stop(): Promise<void>;
}

interface RuntimeFile {
  pid: number;
  dynamoEndpoint: string;
  sesEndpoint: string;
  /** The local DNS zone's server (host:port): SPF and DMARC of the local sending domains. */
  dnsServer?: string;
  inboxUrl: string;
  httpUrl: string;
  smtpPort: number;
  table: string;
  secretFile: string;
}

async function alive(file: RuntimeFile): Promise<boolean> {
  try {
    process.kill(file.pid, 0);
  } catch {
    return false;
  }
  try {
    const res = await fetch(`${file.sesEndpoint}/health-check`);
    return res.ok;
  } catch {
    return false;
  }
}

export async function startLocalRuntime(opts: RuntimeOptions = {}): Promise<LocalRuntime> {
  const table = opts.table ?? 'demarche';
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
  const runtimeFile = dataDir ? join(dataDir, 'runtime.json') : undefined;

  let dynamo: LocalDynamo | undefined;
  let ses: LocalSes | undefined;
  let sesEvents: LocalSesEvents | undefined;
  const eventsQueue = new LocalQueue({
    name: 'demarche-events',
    visibilityTimeoutMs: opts.queue?.visibilityTimeoutMs ?? 2_000,
  });
  let http: LocalHttp | undefined;
  let smtp: LocalSmtp | undefined;
  let dns: LocalDns | undefined;
  let endpoints: Omit<RuntimeFile, 'pid'>;
  let owner = true;

  const existing =
    runtimeFile && opts.reuse !== false && existsSync(runtimeFile)
      ? (JSON.parse(readFileSync(runtimeFile, 'utf8')) as RuntimeFile)
      : undefined;
  if (existing && existing.pid !== process.pid && (await alive(existing))) {
    owner = false;
    endpoints = existing;
  } else {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    dynamo = await startDynamo({
      port: await freePort(opts.dynamoPort),
      dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined,
    });
    try {
      ses = await startSes({ port: await freePort(opts.sesPort) });
      // The sender talks to SES through a proxy that publishes SES's events (issue 5).
      sesEvents = await startSesEvents({
        port: await freePort(),
        target: ses.endpoint,
        emit: (e) => {
          if (opts.sesEvents !== false) eventsQueue.sendRaw(JSON.stringify(e));
        },
        // The mailbox simulator's ooto@ answers through the local SMTP server.
        smtpPort: () => smtp?.port,
      });
      http = await startHttp({ port: await freePort(opts.httpPort) });
      smtp = await startSmtp({
        port: await freePort(opts.smtpPort),
        acceptsDomain: knownReplyDomain,
      });
      // The DNS the local sending domains publish, as SES asks a sending domain to.
      dns = await startDns({
        zone: Object.assign({}, ...LOCAL_SENDING_DOMAINS.map(sendingDomainZone)),
      });
      await ensureTable(dynamo.endpoint, table);
    } catch (err) {
      await dns?.stop();
      await smtp?.stop();
      await http?.stop();
      await sesEvents?.stop();
      await ses?.stop();
      await dynamo.stop();
      throw err;
    }
    // The signing secret: a file in the data folder (kept between runs), or a throwaway one.
    const secretFile = dataDir
      ? join(dataDir, 'secret')
      : join(mkdtempSync(join(tmpdir(), 'demarche-')), `secret-${randomBytes(4).toString('hex')}`);
    endpoints = {
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: sesEvents.endpoint,
      dnsServer: dns.server,
      inboxUrl: ses.inboxUrl,
      httpUrl: http.url,
      smtpPort: smtp.port,
      table,
      secretFile,
    };
    if (runtimeFile)
      writeFileSync(runtimeFile, JSON.stringify({ pid: process.pid, ...endpoints }, null, 2));
  }

  process.env[ENV.table] = endpoints.table;
  process.env[ENV.dynamoEndpoint] = endpoints.dynamoEndpoint;
  process.env[ENV.sesEndpoint] = endpoints.sesEndpoint;
  // Preflight's SPF and DMARC lookups go to the local zone; letters name the local configuration set.
  if (endpoints.dnsServer) process.env[ENV.dnsServers] = endpoints.dnsServer;
  process.env[ENV.configurationSet] ??= LOCAL_CONFIGURATION_SET;
  process.env[ENV.region] ??= 'eu-west-1';
  // What the local SES endpoint's GetAccount answers (pacing reads MaxSendRate from it).
  process.env.AWS_SES_ACCOUNT ??= localSesAccount();
  process.env[ENV.publicUrl] = endpoints.httpUrl;
  process.env[ENV.secretFile] = endpoints.secretFile;
  // Staff sign-in: the key pair local staff tokens are signed with, beside the secret.
  process.env[ENV.authKeyFile] = join(dirname(endpoints.secretFile), 'auth-key.json');
  resetSecret();

  const queue = new LocalQueue(opts.queue);
  const metrics = new RecordedMetrics();
  resetDeps();
  // Raw replies live beside the secret: the data folder, or a temporary one.
  setDeps({
    queue,
    rawStore: new FileRawStore(join(dirname(endpoints.secretFile), 'inbound')),
    metrics,
    // The tracking routes' events go through the events queue, as in AWS.
    trackingEvents: { publish: async (e) => eventsQueue.sendRaw(envelope(e)) },
  });
  queue.start(senderHandler);
  eventsQueue.start(eventsHandler);
  // The local stand-in for EventBridge Scheduler: only the owning runtime ticks.
  const ticker = startTicker(owner ? (opts.schedulerTickMs ?? 1000) : 0);

  return {
    ...endpoints,
    queue,
    eventsQueue,
    metrics,
    owner,
    dynamo,
    deps,
    async stop() {
      await ticker.stop();
      await queue.stop();
      await eventsQueue.stop();
      resetDeps();
      if (owner) {
        await dns?.stop();
        await smtp?.stop();
        await http?.stop();
        await sesEvents?.stop();

        await ses?.stop();
        await dynamo?.stop();
        if (runtimeFile && existsSync(runtimeFile)) {
          const file = JSON.parse(readFileSync(runtimeFile, 'utf8')) as RuntimeFile;
          if (file.pid === process.pid) rmSync(runtimeFile);
        }
      }
    },
  };
}

/** Calls the scheduler's tick every `ms`, never two at once. */
function startTicker(ms: number): { stop(): Promise<void> } {
  if (!ms) return { stop: async () => {} };
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = schedulerHandler({ action: 'tick' })
      .catch((err: unknown) => console.error(`scheduler tick failed: ${(err as Error).message}`))
      .finally(() => (running = undefined));
  }, ms);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
