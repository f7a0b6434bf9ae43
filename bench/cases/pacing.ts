/**
 * pacing: 2,000 letters through the real sender, the shared DynamoDB rate
 * limiter and the local SES endpoint, with the account's MaxSendRate at 62.5/s
 * and the default 0.8 margin: a configured rate of 50/s read from GetAccount,
 * as in AWS. A proxy in front of SES notes when each SendEmail arrives.
 * Goals: achieved rate ≥ 0.95 × configured; no one-second window holds more
 * than the configured rate. The busiest window is also shown as the sender saw
 * it, at the moment each SendEmail was handed to the SES client: the proxy
 * runs on the senders' own event loop, so a stall of the process delays its
 * reading of requests already sent, which SES would count on its own clock;
 * a gap between the two figures is that path, not the limiter.
 *
 * SES events are off: in AWS the events handler runs in its own Lambdas, while
 * here it would share the senders' event loop (and the pipeline case turns
 * them off too). The figures also show how the limiter worked (reservations,
 * conditions refused, slots woken too late for) and the machine's load, since
 * a slot missed on a busy machine is capacity lost.
 */
import { loadavg } from 'node:os';
import type { BenchResult } from '../types.js';

const RATE = 50;
const RECIPIENTS = Number(process.env.PACING_RECIPIENTS ?? 2_000);

export async function run(): Promise<BenchResult> {
  // Before anything reads them: the account the local SES endpoint describes, and the margin.
  const { localSesAccount } = await import('../../functions/local/ses-account.js');
  process.env.AWS_SES_ACCOUNT = localSesAccount(RATE / 0.8);
  process.env.DEMARCHE_SEND_RATE_MARGIN = '0.8';
  const { startLocalRuntime } = await import('../../functions/local/runtime.js');
  const { setDeps } = await import('../../functions/adapters/deps.js');
  const { SesMailer, sesClient } = await import('../../functions/adapters/ses-mailer.js');
  const { launchCampaign } = await import('../../functions/core/launch.js');
  const { busiestWindow } = await import('../../functions/core/pacing.js');
  const { draftCampaign } = await import('../../test/support/campaigns.js');
  const { startSesProxy } = await import('../../test/support/ses-proxy.js');
  const { settled } = await import('../../functions/core/campaign.js');
  const { DynamoRateLimiter } = await import('../../functions/adapters/dynamo-rate-limiter.js');

  const runtime = await startLocalRuntime({
    queue: { concurrency: 8, visibilityTimeoutMs: 5_000 },
    schedulerTickMs: 0,
    sesEvents: false,
  });
  const proxy = await startSesProxy(runtime.sesEndpoint);
  try {
    const ses = new SesMailer(sesClient({ region: 'eu-west-1', endpoint: proxy.url }));
    const handed: number[] = [];
    setDeps({
      mailer: {
        send: (letter) => {
          handed.push(Date.now());
          return ses.send(letter);
        },
      },
    });
    const { campaign } = await draftCampaign(runtime, RECIPIENTS, 'pacing');
    await launchCampaign(runtime.deps(), campaign.id);
    await runtime.queue.drained();

    const times = proxy.sends.filter((s) => s.tags.campaign === campaign.id).map((s) => s.at);
    times.sort((a, b) => a - b);
    const spanS = (times.at(-1)! - times[0]!) / 1000;
    // n sends over a span hold n − 1 intervals.
    const achieved = (times.length - 1) / spanS;
    const fraction = achieved / RATE;
    const maxWindow = busiestWindow(times, 1000);
    const counters = await runtime.deps().store.counters(campaign.id);
    const limiter = runtime.deps().rateLimiter;
    const stats = limiter instanceof DynamoRateLimiter ? limiter.stats : undefined;
    return {
      name: 'pacing',
      figures: {
        configuredRate: RATE,
        recipients: RECIPIENTS,
        sent: counters.sent,
        // Letters not sent, and where they are: held as unknown, or not settled at all
        // (still claimed after an SES call without a clear answer, or dead-lettered).
        unknown: counters.unknown,
        notSettled: RECIPIENTS - settled(counters),
        deadLettered: runtime.queue.dlq.length,
        seconds: Math.round(spanS * 100) / 100,
        achievedRate: Math.round(achieved * 100) / 100,
        achievedFraction: Math.round(fraction * 1000) / 1000,
        maxInOneSecond: maxWindow,
        maxInOneSecondHanded: busiestWindow(handed, 1000),
        reservations: stats?.reservations ?? 'n/a',
        conditionsRefused: stats?.conflicts ?? 'n/a',
        slotsMissed: stats?.missed ?? 'n/a',
        loadAvg1m: Math.round(loadavg()[0]! * 10) / 10,
      },
      goal: `achieved/configured ≥ 0.95 and max in any one-second window ≤ ${RATE}, all ${RECIPIENTS} sent`,
      pass: fraction >= 0.95 && maxWindow <= RATE && counters.sent === RECIPIENTS,
    };
  } finally {
    await proxy.stop();
    await runtime.stop();
  }
}
