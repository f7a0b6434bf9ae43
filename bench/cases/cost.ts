/**
 * cost: what a send-out costs in AWS, counted rather than estimated. A
 * campaign of 5,000 letters (COST_LETTERS) goes through the local runtime
 * from import to the last event: launch, the senders (pacing on, at the
 * local account's rate), one Send and one Delivery event per letter, opens,
 * clicks and web views at the rates below through the public routes, and
 * the staff dashboard's 5-second polling for as long as the same campaign
 * would send at a default deployment's rate. Every DynamoDB call asks for
 * its consumed capacity (adapters/client-meter.ts), the local queues count
 * the SQS requests their AWS counterparts would take and time each handler
 * call, and log lines are weighed as CloudWatch would ingest them. The
 * counts per letter are priced per 10,000 letters with bench/cost/prices.ts
 * (eu-west-1, dated), SES apart. Goal: ≤ $0.10 per 10,000 letters beyond SES.
 *
 * What is modelled rather than counted, and how, is said next to each figure:
 * Lambda's billed time is the local handler's wall time (the local services
 * answer in about the time AWS's do; the machine's load makes it an upper
 * bound), platform log lines are a fixed size per invocation, and the
 * signing secret is read once per container and five minutes.
 */
import '../cost/env.js';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { SQSEvent } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { observeCalls } from '../../functions/adapters/client-meter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { createTableInput, keys } from '../../functions/adapters/table-definition.js';
import { PowertoolsMetrics } from '../../functions/adapters/metrics.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { clickUrl, openPixelUrl, webVersionUrl } from '../../functions/core/links.js';
import { METRIC } from '../../functions/core/metrics.js';
import { trackingFor } from '../../functions/core/tracking.js';
import { parseStatement } from '../../functions/core/statement.js';
import { handler as eventsHandler } from '../../functions/events/handler.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import { handler as schedulerHandler } from '../../functions/scheduler/handler.js';
import { handler as senderHandler } from '../../functions/sender/handler.js';
import { parseStackConfig } from '../../infra/config.js';
import { senderConcurrency } from '../../infra/sending.js';
import { HOURS_PER_MONTH, PRICE, PRICES_DATE, PRICES_REGION } from '../cost/prices.js';
import { itemSize } from '../cost/item-size.js';
import { type Phase, PHASES, Tally } from '../cost/tally.js';
import type { BenchResult } from '../types.js';
import { round, syntheticRecipients } from '../support.js';

const N = Number(process.env.COST_LETTERS ?? 5_000);
/** Engagement assumed: 35 % of letters with a pixel opened (once), 5 % of those with tracked links clicked, 2 % read on the web. */
const OPEN_RATE = 0.35;
/** A person's browser: a request without one reads as a machine's (counted apart). */
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CLICK_RATE = 0.05;
const WEB_RATE = 0.02;
/** The dashboard's poll (templates/dashboard/src/campaign/data.ts): five reads every 5 s while sending. */
const POLL_SECONDS = 5;
const GOAL_USD = 0.1;
/** Memory of each function in the stack (infra/sending.ts, events.ts, api.ts, scheduling.ts), MB. */
const MEMORY_MB: Record<Phase, number> = {
  import: 512,
  launch: 512,
  send: 512,
  events: 512,
  tracking: 512,
  web: 512,
  dashboard: 1024,
  finish: 512,
  tick: 512,
};
/** Lambda gives a function one full vCPU at 1,769 MB, and a share in proportion below. */
const FULL_VCPU_MB = 1769;
/** A DynamoDB request's round trip inside the region, ms. */
const ROUND_TRIP_MS = 5;
/** Records a function's invocation works on at once (the events batch's, in parallel). */
const PARALLEL: Partial<Record<Phase, number>> = { events: 10, import: 4 };
/** Lambda's own START and REPORT lines in JSON log format, bytes per invocation. */
const PLATFORM_LOG_BYTES = 600;
/** Containers per function that read the secret (sender up to its concurrency, tracking, web, API). */
const SECRET_READERS = 10 + 5 + 1 + 1;
/** The scheduler's tick every five minutes (infra/scheduling.ts). */
const TICKS_PER_MONTH = (HOURS_PER_MONTH * 60) / 5;
/** Per 10,000 letters. */
const PER = 10_000;

/** A default deployment (infra/config.ts defaults) and its letters per second. */
const stack = parseStackConfig({
  domain: 'demarche.example.org',
  fromAddress: 'campaigns@demarche.example.org',
  replyDomain: 'replies.example.org',
  alarmEmail: 'ops@example.org',
  loginDomainPrefix: 'demarche-bench',
});
const DEFAULT_RATE = stack.sesMaxSendRate * stack.sesRateMargin;
/** Sender instances at that rate (infra/sending.ts). */
const SENDERS = senderConcurrency(DEFAULT_RATE, stack.senderMaxConcurrency);

interface Invocations {
  count: number;
  billedMs: number;
}

async function pool(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < n; i = next++) await work(i);
    }),
  );
}

/** Weighs the handlers' log lines (Powertools JSON) as the phase's, and keeps them off the terminal. */
function captureLogs(tally: Tally): () => void {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const wrap =
    (original: typeof out) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (s.startsWith('{') && s.includes('"service"')) {
        tally.log(Buffer.byteLength(s));
        return true;
      }
      return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = wrap(out) as typeof process.stdout.write;
  process.stderr.write = wrap(err) as typeof process.stderr.write;
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}

/** The bytes of one EMF record as Powertools writes it in Lambda (one per sender invocation). */
function emfRecordBytes(): number {
  let bytes = 0;
  const out = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;
  try {
    const m = new PowertoolsMetrics();
    m.count(METRIC.lettersSent, 10);
    m.flush();
  } finally {
    process.stdout.write = out;
  }
  return bytes;
}

export async function run(): Promise<BenchResult> {
  const tally = new Tally();
  observeCalls(tally.observe);
  const runtime = await startLocalRuntime({
    queue: { concurrency: 4, batchSize: 10, maxDepth: 100_000 },
    schedulerTickMs: 0,
    // SES's events arrive after the sender recorded the send, as in AWS (not within a millisecond).
    sesEventLatencyMs: 5_000,
  });
  const restore = captureLogs(tally);
  try {
    // The same handlers, each batch carried as its function's phase.
    await runtime.queue.stop();
    runtime.queue.start((e: SQSEvent) => tally.within('send', () => senderHandler(e)));
    // SES's events wait until the letters are sent: in AWS they come a second or more after the
    // sender recorded the send, and apart, each phase's CPU time is its own.
    await runtime.eventsQueue.stop();

    const d = runtime.deps();
    const file = (p: string) =>
      readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');
    const statement = parseStatement(file('examples/statement.md'), 'statement.md', {
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    const invocations = new Map<Phase, Invocations>(
      PHASES.map((p) => [p, { count: 0, billedMs: 0 }]),
    );
    const cpuMs = new Map<Phase, number>();
    const cpuNow = () => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    };
    let mark = cpuNow();
    /** This process's CPU time since the last phase closed, as phase `p`'s. */
    const close = (p: Phase) => {
      const now = cpuNow();
      cpuMs.set(p, (cpuMs.get(p) ?? 0) + now - mark);
      mark = now;
    };
    const invoke = async <T>(p: Phase, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await tally.within(p, fn);
      } finally {
        const i = invocations.get(p)!;
        i.count++;
        i.billedMs += Math.ceil(performance.now() - t0);
      }
    };

    const { campaign } = await invoke('import', () =>
      createCampaign(d, {
        statement,
        recipients: syntheticRecipients(N, 'cost'),
        recipientCount: N,
        mjml: file('templates/letter.mjml'),
      }),
    );
    close('import');
    const sendStart = performance.now();
    await invoke('launch', () => launchCampaign(d, campaign.id));
    await runtime.queue.drained();
    const sendSeconds = (performance.now() - sendStart) / 1000;
    close('send');
    runtime.eventsQueue.start((e: SQSEvent) => tally.within('events', () => eventsHandler(e)));
    // Every Send and Delivery event in: the delivered counter reaches N.
    for (let waited = 0; (await d.store.counters(campaign.id)).delivered < N; waited += 100) {
      if (waited > 120_000) throw new Error('the Delivery events did not all arrive');
      await new Promise((r) => setTimeout(r, 100));
    }
    await runtime.eventsQueue.drained();
    close('events');
    const counters = await d.store.counters(campaign.id);
    if (counters.sent !== N) throw new Error(`expected ${N} sent, got ${counters.sent}`);

    // Recipients open, click and read the web version, through the local HTTP layer.
    const ring = await d.keys();
    const everyone = [...syntheticRecipients(N, 'cost')];
    const ids = everyone.map((r) => r.id);
    // Only letters that carry a pixel or tracked links can be counted (officials get no pixel by default).
    const withPixel = everyone.flatMap((r, i) =>
      trackingFor(campaign.tracking, r.group).opens ? [i] : [],
    );
    const withLinks = everyone.flatMap((r, i) =>
      trackingFor(campaign.tracking, r.group).clicks ? [i] : [],
    );
    const link = (i: number) => ({
      publicUrl: runtime.httpUrl,
      keys: ring,
      campaignId: campaign.id,
      recipientId: ids[i]!,
    });
    const get = async (p: Phase, url: string, expect: number, headers?: Record<string, string>) => {
      const res = await invoke(p, () =>
        fetch(url, { redirect: 'manual', headers: { 'user-agent': BROWSER, ...headers } }),
      );
      await res.arrayBuffer();
      if (res.status !== expect) throw new Error(`${url} answered ${res.status}, not ${expect}`);
    };
    const opens = Math.round(withPixel.length * OPEN_RATE);
    const clicks = Math.round(withLinks.length * CLICK_RATE);
    const webViews = Math.round(N * WEB_RATE);
    tally.current = 'tracking';
    await pool(opens, 8, (i) => get('tracking', openPixelUrl(link(withPixel[i]!)), 200));
    await pool(clicks, 8, (i) => get('tracking', clickUrl(link(withLinks[i]!), 0), 302));
    await runtime.eventsQueue.drained();
    await new Promise((r) => setTimeout(r, 200));
    await runtime.eventsQueue.drained();
    // The tracking routes' CPU time with that of the events they queued (the same 512 MB).
    close('tracking');
    tally.current = 'web';
    await pool(webViews, 4, (i) => get('web', webVersionUrl(link(i)), 200));
    close('web');
    const engaged = await d.store.counters(campaign.id);

    // One staff member's dashboard polls while the campaign sends at a default deployment's rate.
    tally.current = 'dashboard';
    const token = await runtime.staffToken({
      sub: 'bench-staff',
      email: 'staff@example.org',
      groups: ['viewer'],
    });
    const auth = { authorization: `Bearer ${token}` };
    const base = `${runtime.httpUrl}/api/campaigns/${campaign.id}`;
    const SAMPLE_POLLS = 5;
    await get('dashboard', `${base}/targets`, 200, auth);
    for (let p = 0; p < SAMPLE_POLLS; p++) {
      await Promise.all(
        ['', '/stats', '/series', '/splits', '/plan'].map((path) =>
          get('dashboard', `${base}${path}`, 200, auth),
        ),
      );
    }
    close('dashboard');
    // The tick that finds the campaign finished (retention), then one with nothing to do.
    tally.current = 'finish';
    await invoke('finish', () => schedulerHandler({ action: 'tick' }));
    close('finish');
    tally.current = 'tick';
    await invoke('tick', () => schedulerHandler({ action: 'tick' }));
    close('tick');
    restore();
    // The items transactions wrote by key, at their sizes now (their largest): a recipient who
    // opened and clicked, a counter shard, the campaign.
    observeCalls(undefined);
    const raw = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
    const size = async (key: Record<string, string>) => {
      const out = await raw.send(new GetCommand({ TableName: runtime.table, Key: key }));
      return out.Item ? itemSize(out.Item) : 1024;
    };
    const sizes = {
      recipient: await size(keys.recipient(campaign.id, ids[withPixel[0]!]!)),
      counter: await size(keys.counter(campaign.id, 0)),
      campaign: await size(keys.campaign(campaign.id)),
      other: 1024,
    };
    const projectsAll =
      (createTableInput('t').GlobalSecondaryIndexes[0]!.Projection.ProjectionType as string) ===
      'ALL';
    tally.settle(sizes, projectsAll);
    const phase = (p: Phase) => tally.phases.get(p)!;
    if (process.env.COST_DEBUG)
      for (const p of PHASES) console.error(p, JSON.stringify([...phase(p).calls]));

    // ---- counts per letter ----
    const q = runtime.queue;
    const eq = runtime.eventsQueue;
    invocations.set('send', { ...q.invocations });
    invocations.set('events', { ...eq.invocations });
    const letterSecondsAtDefault = 1 / DEFAULT_RATE;
    const pollsPerLetter = letterSecondsAtDefault / POLL_SECONDS;
    /** Dashboard figures are per sampled poll; scaled to the polls one letter's sending time takes. */
    const dash = (x: number) => (x / SAMPLE_POLLS) * pollsPerLetter * N;
    const scaled = (p: Phase, pick: (t: ReturnType<typeof phase>) => number) =>
      p === 'dashboard' ? dash(pick(phase(p))) : p === 'tick' ? 0 : pick(phase(p));
    const perLetter = (p: Phase, pick: (t: ReturnType<typeof phase>) => number) =>
      scaled(p, pick) / N;
    const sum = (pick: (t: ReturnType<typeof phase>) => number) =>
      PHASES.reduce((n, p) => n + perLetter(p, pick), 0);

    const wru = sum((t) => t.writeUnits);
    const rru = sum((t) => t.readUnits);
    const gsiWru = sum((t) => t.indexWriteUnits);
    const dynamoCalls = sum((t) => t.dynamoCalls);
    const sqsSends = (q.requests.send + eq.requests.send) / N;
    const sqsReceives = (q.requests.receive + eq.requests.receive) / N;
    const sqsDeletes = (q.requests.delete + eq.requests.delete) / N;
    const inv = (p: Phase) => {
      const i = invocations.get(p)!;
      const k = p === 'dashboard' ? dash(1) : p === 'tick' ? 0 : 1;
      const gb = MEMORY_MB[p] / 1024;
      // Billed time in AWS: this phase's CPU time at the function's share of a vCPU, and
      // its DynamoDB round trips (those of a batch's records overlap).
      const modelMs =
        (cpuMs.get(p) ?? 0) / (MEMORY_MB[p] / FULL_VCPU_MB) +
        (phase(p).dynamoCalls * ROUND_TRIP_MS) / (PARALLEL[p] ?? 1);
      // A paced sender holds its batch while the letters wait for their send slots: its
      // instances are busy for the whole send-out, whatever their CPU does.
      const pacedMs = p === 'send' ? (SENDERS * 1000 * N) / DEFAULT_RATE : 0;
      return {
        count: (i.count * k) / N,
        gbSeconds: ((Math.max(modelMs, pacedMs) / 1000) * gb * k) / N,
        localGbSeconds: ((i.billedMs / 1000) * gb * k) / N,
      };
    };
    const lambdaCount = PHASES.reduce((n, p) => n + inv(p).count, 0);
    const lambdaGbs = PHASES.reduce((n, p) => n + inv(p).gbSeconds, 0);
    const httpRequests = (opens + clicks + webViews) / N + inv('dashboard').count;
    const emf = emfRecordBytes();
    const logBytes =
      sum((t) => t.logBytes) + lambdaCount * PLATFORM_LOG_BYTES + inv('send').count * emf;
    // One GetSecretValue (and the KMS Decrypt behind it) per reading container per 5 minutes of sending.
    const secretCalls = (SECRET_READERS * Math.ceil((letterSecondsAtDefault * PER) / 300)) / PER;
    // Custom metrics are billed by the hour: ours (one per name) and SES's two per campaign (Send, Delivery).
    const metricNames =
      new Set([...runtime.metrics.totals.keys(), ...runtime.metrics.last.keys()]).size + 2;
    const sendHoursPer10k = Math.ceil((letterSecondsAtDefault * PER) / 3600);
    const sesMessages = sum((t) => t.sesMessages);
    const sesBytes = sum((t) => t.sesBytes);

    // ---- price per 10,000 letters ----
    const usd = {
      dynamo: (PER * (wru * PRICE.dynamoWritePerMillion + rru * PRICE.dynamoReadPerMillion)) / 1e6,
      sqs: (PER * (sqsSends + sqsReceives + sqsDeletes) * PRICE.sqsPerMillion) / 1e6,
      lambda:
        PER *
        (lambdaGbs * PRICE.lambdaPerGbSecond +
          (lambdaCount * PRICE.lambdaPerMillionRequests) / 1e6),
      httpApi: (PER * httpRequests * PRICE.httpApiPerMillion) / 1e6,
      logs: (PER * logBytes * PRICE.logsIngestPerGb) / 1024 ** 3,
      metrics: (metricNames * sendHoursPer10k * PRICE.metricMonth) / HOURS_PER_MONTH,
      secrets: (PER * secretCalls * (PRICE.secretsPer10000 + PRICE.kmsPer10000)) / 10_000,
    };
    const total = Object.values(usd).reduce((a, b) => a + b, 0);
    const ses =
      (PER * sesMessages * PRICE.sesPer1000) / 1000 + (PER * sesBytes * PRICE.sesPerGb) / 1024 ** 3;

    const figures: Record<string, number | string> = {
      letters: N,
      prices: `${PRICES_REGION} on demand, ${PRICES_DATE}`,
      engagement: `${opens} opens (${OPEN_RATE} of ${withPixel.length} with a pixel), ${clicks} clicks, ${webViews} web views`,
      loadAverage: round(loadavg()[0]!, 1),
      sendSeconds: round(sendSeconds, 1),
      dynamoWruPerLetter: round(wru, 2),
      dynamoGsiWruPerLetter: round(gsiWru, 2),
      dynamoRruPerLetter: round(rru, 2),
      dynamoCallsPerLetter: round(dynamoCalls, 2),
    };
    for (const p of PHASES) {
      if (p === 'tick') continue;
      figures[`wru.${p}`] = round(
        perLetter(p, (t) => t.writeUnits),
        3,
      );
      figures[`rru.${p}`] = round(
        perLetter(p, (t) => t.readUnits),
        3,
      );
    }
    Object.assign(figures, {
      dynamoRefusedPerLetter: round(
        sum((t) => t.dynamoRefused),
        4,
      ),
      sqsSendsPerLetter: round(sqsSends, 3),
      sqsReceivesPerLetter: round(sqsReceives, 3),
      sqsDeletesPerLetter: round(sqsDeletes, 3),
      lambdaInvocationsPerLetter: round(lambdaCount, 3),
      lambdaGbSecondsPerLetter: round(lambdaGbs, 5),
      ...Object.fromEntries(
        PHASES.filter((p) => p !== 'tick').map((p) => [`gbs.${p}`, round(inv(p).gbSeconds, 5)]),
      ),
      lambdaLocalWallGbSecondsPerLetter: round(
        PHASES.reduce((n, p) => n + inv(p).localGbSeconds, 0),
        4,
      ),
      httpRequestsPerLetter: round(httpRequests, 3),
      s3RequestsPerLetter: round(
        sum((t) =>
          [...t.calls].filter(([k]) => k.startsWith('s3:')).reduce((n, [, v]) => n + v, 0),
        ),
        3,
      ),
      secretsCallsPerLetter: round(secretCalls, 5),
      kmsCallsPerLetter: round(secretCalls, 5),
      logBytesPerLetter: round(logBytes, 0),
      customMetrics: metricNames,
      sesMessagesPerLetter: round(sesMessages, 3),
      sesKiBPerLetter: round(sesBytes / 1024, 1),
      opened: engaged.openedUnique,
      clicked: engaged.clickedUnique,
      recipientItemBytes: sizes.recipient,
      gsi1Projection: projectsAll ? 'ALL' : 'INCLUDE',
      tickWru: round(phase('tick').writeUnits, 1),
      tickRru: round(phase('tick').readUnits, 1),
      tickMs: invocations.get('tick')!.billedMs,
      tickCpuMs: round(cpuMs.get('tick') ?? 0, 0),
      idleTicksUsdPerMonth: round(
        TICKS_PER_MONTH *
          ((phase('tick').writeUnits * PRICE.dynamoWritePerMillion +
            phase('tick').readUnits * PRICE.dynamoReadPerMillion +
            PRICE.lambdaPerMillionRequests) /
            1e6 +
            (((cpuMs.get('tick') ?? 0) / (MEMORY_MB.tick / FULL_VCPU_MB) +
              phase('tick').dynamoCalls * ROUND_TRIP_MS) /
              1000) *
              (MEMORY_MB.tick / 1024) *
              PRICE.lambdaPerGbSecond +
            ((phase('tick').logBytes + PLATFORM_LOG_BYTES) * PRICE.logsIngestPerGb) / 1024 ** 3),
        3,
      ),
      ...Object.fromEntries(Object.entries(usd).map(([k, v]) => [`usd.${k}`, round(v, 4)])),
      usdPer10kBeyondSes: round(total, 3),
      usdPer10kSes: round(ses, 3),
    });
    return {
      name: 'cost',
      figures,
      goal: `≤ $${GOAL_USD} per 10,000 letters beyond SES`,
      pass: total <= GOAL_USD,
    };
  } finally {
    restore();
    observeCalls(undefined);
    await runtime.stop();
  }
}
