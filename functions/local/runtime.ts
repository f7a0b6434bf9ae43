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
import { LocalQueue, type LocalQueueOptions, type RuntimeQueue } from './queue.js';
import type { MotoAws, MotoOptions, MotoRuntimeFile, SqsRuntimeQueue } from './moto-runtime.js';
import { resetSecret } from '../adapters/secret.js';
import { startHttp, type LocalHttp } from './http.js';
import { knownReplyDomain, startSmtp, type LocalSmtp } from './smtp.js';
import { type DnsZone, zoneResolver } from './mail-auth.js';
import { FileRawStore } from '../adapters/raw-store.js';
import { startSes, type LocalSes } from './ses.js';
import { startSesEvents, type LocalSesEvents } from './ses-events.js';
import { handler as eventsHandler } from '../events/handler.js';
import { LocalJobs } from './jobs.js';
import { FileUploads } from '../adapters/uploads.js';
import { issueLocalToken } from '../adapters/staff-auth.js';
import { RecordedMetrics } from '../adapters/metrics.js';
import { envelope } from '../core/events/envelope.js';

export interface RuntimeOptions {
  /** Folder for DynamoDB data and runtime.json; omit for an in-memory runtime (tests). */
  dataDir?: string;
  dynamoPort?: number;
  /**
   * A DynamoDB Local that someone else runs (the test suite shares one JVM
   * across its files, each runtime with a table of its own); the runtime
   * creates its table there and never stops it.
   */
  dynamoEndpoint?: string;
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
  /**
   * Milliseconds before a Send event reaches the events queue (a Delivery
   * takes twice as long); default 0, at once. In AWS they come through
   * EventBridge and SQS a second or more after the send, when the sender has
   * long recorded it; the cost bench sets this to count what AWS would see.
   */
  sesEventLatencyMs?: number;
  /**
   * `moto`: SQS, S3, Secrets Manager, Scheduler and Cognito emulated by moto
   * (moto-runtime.ts), the real adapters wired from the environment as in
   * AWS; default `local`: the in-process queue, a folder, a file, a local key.
   */
  aws?: 'local' | 'moto';
  moto?: MotoOptions;
  /** DNS the local SMTP server checks SPF, DKIM and DMARC against (tests publish keys here); the system's by default. */
  dns?: DnsZone;
}

export interface LocalRuntime<Q extends RuntimeQueue = RuntimeQueue> {
  dynamoEndpoint: string;
  sesEndpoint: string;
  inboxUrl: string;
  /** Base URL of the local HTTP layer (tracking, web version, API, dashboard). */
  httpUrl: string;
  /** Port of the local SMTP server that takes replies (127.0.0.1). */
  smtpPort: number;
  table: string;
  queue: Q;
  /** SES events (EventBridge format) from the SES proxy, consumed by the events handler. */
  eventsQueue: Q;
  /** Launches and imports running in the background of this process (the launch function's stand-in). */
  jobs: LocalJobs;
  /** The emulated AWS when running with `aws: 'moto'`. */
  aws?: MotoAws;
  /** A staff token the API accepts here: signed with the local key, or a Cognito ID token (moto). */
  staffToken(who: {
    sub: string;
    email: string;
    groups: ('campaigner' | 'viewer')[];
  }): Promise<string>;
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
  moto?: MotoRuntimeFile;
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

export function startLocalRuntime(
  opts: RuntimeOptions & { aws: 'moto' },
): Promise<LocalRuntime<SqsRuntimeQueue>>;
/** With a data folder it may join a runtime already serving there, in whichever mode that one runs. */
export function startLocalRuntime(
  opts: RuntimeOptions & { dataDir: string },
): Promise<LocalRuntime>;
export function startLocalRuntime(opts?: RuntimeOptions): Promise<LocalRuntime<LocalQueue>>;
export async function startLocalRuntime(opts: RuntimeOptions = {}): Promise<LocalRuntime> {
  const table = opts.table ?? 'demarche';
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : undefined;
  const runtimeFile = dataDir ? join(dataDir, 'runtime.json') : undefined;

  let dynamo: LocalDynamo | undefined;
  let ses: LocalSes | undefined;
  let sesEvents: LocalSesEvents | undefined;
  let http: LocalHttp | undefined;
  let smtp: LocalSmtp | undefined;
  let dns: LocalDns | undefined;
  let endpoints: Omit<RuntimeFile, 'pid'>;
  let owner = true;

  const existing =
    runtimeFile && opts.reuse !== false && existsSync(runtimeFile)
      ? (JSON.parse(readFileSync(runtimeFile, 'utf8')) as RuntimeFile)
      : undefined;
  const attach = existing && existing.pid !== process.pid && (await alive(existing));
  // Emulated AWS first: a missing moto_server stops the start before anything else runs.
  // Loaded only for that mode, so the default runtime never loads moto's clients.
  const motoFile = attach ? existing.moto : undefined;
  const aws =
    motoFile || (!attach && opts.aws === 'moto')
      ? await import('./moto-runtime.js').then((m) =>
          m.startMotoAws({
            ...opts.moto,
            region: process.env[ENV.region] ?? 'eu-west-1',
            existing: motoFile,
          }),
        )
      : undefined;
  const eventsQueue: RuntimeQueue =
    aws?.eventsQueue ??
    new LocalQueue({
      name: 'demarche-events',
      visibilityTimeoutMs: opts.queue?.visibilityTimeoutMs ?? 2_000,
    });
  if (attach) {
    owner = false;
    endpoints = existing;
  } else {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    dynamo = opts.dynamoEndpoint
      ? undefined
      : await startDynamo({
          port: await freePort(opts.dynamoPort),
          dataDir: dataDir ? join(dataDir, 'dynamodb') : undefined,
        });
    const dynamoEndpoint = opts.dynamoEndpoint ?? dynamo!.endpoint;
    try {
      ses = await startSes({
        port: await freePort(opts.sesPort),
        ...(dataDir ? { inboxFile: join(dataDir, 'ses-inbox.json') } : {}),
      });
      // The sender talks to SES through a proxy that publishes SES's events.
      sesEvents = await startSesEvents({
        port: await freePort(),
        target: ses.endpoint,
        now: () => deps().clock.now().getTime(),
        emit: (e) => {
          if (opts.sesEvents === false) return;
          const publish = () =>
            void Promise.resolve(eventsQueue.sendRaw(JSON.stringify(e))).catch((err: unknown) =>
              console.error(`SES event not queued: ${(err as Error).message}`),
            );
          const lag = opts.sesEventLatencyMs ?? 0;
          if (!lag) return publish();
          // Send after one lag, every later event (Delivery …) after two, as they follow in AWS.
          const type = (e.detail as { eventType?: string } | undefined)?.eventType;
          setTimeout(publish, type === 'Send' ? lag : 2 * lag);
        },
        // The mailbox simulator's ooto@ answers through the local SMTP server.
        smtpPort: () => smtp?.port,
      });
      http = await startHttp({ port: await freePort(opts.httpPort) });
      smtp = await startSmtp({
        port: await freePort(opts.smtpPort),
        acceptsDomain: knownReplyDomain,
        ...(opts.dns ? { resolver: zoneResolver(opts.dns) } : {}),
      });
      // The DNS the local sending domains publish, as SES asks a sending domain to.
      dns = await startDns({
        zone: Object.assign({}, ...LOCAL_SENDING_DOMAINS.map(sendingDomainZone)),
      });
      await ensureTable(dynamoEndpoint, table);
    } catch (err) {
      await dns?.stop();
      await smtp?.stop();
      await http?.stop();
      await sesEvents?.stop();
      await ses?.stop();
      await dynamo?.stop();
      await aws?.stop();
      throw err;
    }
    // The signing secret: a file in the data folder (kept between runs), or a throwaway one.
    const secretFile = dataDir
      ? join(dataDir, 'secret')
      : join(mkdtempSync(join(tmpdir(), 'demarche-')), `secret-${randomBytes(4).toString('hex')}`);
    endpoints = {
      dynamoEndpoint,
      sesEndpoint: sesEvents.endpoint,
      dnsServer: dns.server,
      inboxUrl: ses.inboxUrl,
      httpUrl: http.url,
      smtpPort: smtp.port,
      table,
      secretFile,
      ...(aws ? { moto: aws.file } : {}),
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

  const queue: RuntimeQueue = aws?.queue ?? new LocalQueue(opts.queue);
  const jobs = new LocalJobs();
  const metrics = new RecordedMetrics();
  resetDeps();
  // Raw replies and uploaded lists live beside the secret: the data folder, or a temporary
  // one. With moto, deps.ts builds the SQS queues and the S3 store from the environment, as in
  // Lambda; launches and imports run in this process either way (the launch function's stand-in).
  const folder = dirname(endpoints.secretFile);
  setDeps({
    jobs,
    metrics,
    uploads: new FileUploads(join(folder, 'uploads'), () => endpoints.httpUrl),
    ...(aws
      ? {}
      : {
          queue: queue as LocalQueue,
          rawStore: new FileRawStore(join(folder, 'inbound')),
          // The tracking routes' events go through the events queue, as in AWS.
          trackingEvents: {
            publish: async (e) => {
              await eventsQueue.sendRaw(envelope(e));
            },
          },
        }),
  });
  // On moto the queues are shared: only the owner's pollers consume them, as one event source would.
  if (owner || !aws) {
    queue.start(senderHandler);
    eventsQueue.start(eventsHandler);
  }
  // The local stand-in for EventBridge Scheduler: only the owning runtime ticks.
  const ticker = startTicker(owner ? (opts.schedulerTickMs ?? 1000) : 0);

  return {
    ...endpoints,
    queue,
    eventsQueue,
    jobs,
    metrics,
    owner,
    dynamo,
    aws,
    deps,
    staffToken: (who) =>
      aws ? aws.staffToken(who) : issueLocalToken(process.env[ENV.authKeyFile]!, who),
    async stop() {
      await ticker.stop();
      await jobs.stop();
      await queue.stop();
      await eventsQueue.stop();
      resetDeps();
      await aws?.stop();
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
