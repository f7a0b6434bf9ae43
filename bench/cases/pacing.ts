/**
 * pacing: 2,000 letters through the real sender, the shared DynamoDB rate
 * limiter and the local SES endpoint, with the account's MaxSendRate at 62.5/s
 * and the default 0.8 margin: a configured rate of 50/s read from GetAccount,
 * as in AWS. A proxy in front of SES notes when each SendEmail arrives.
 * Goals: achieved rate ≥ 0.95 × configured; no one-second window holds more
 * than the configured rate.
 */
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

  const runtime = await startLocalRuntime({
    queue: { concurrency: 8, visibilityTimeoutMs: 5_000 },
    schedulerTickMs: 0,
  });
  const proxy = await startSesProxy(runtime.sesEndpoint);
  try {
    setDeps({ mailer: new SesMailer(sesClient({ region: 'eu-west-1', endpoint: proxy.url })) });
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
    return {
      name: 'pacing',
      figures: {
        configuredRate: RATE,
        recipients: RECIPIENTS,
        sent: counters.sent,
        seconds: Math.round(spanS * 100) / 100,
        achievedRate: Math.round(achieved * 100) / 100,
        achievedFraction: Math.round(fraction * 1000) / 1000,
        maxInOneSecond: maxWindow,
      },
      goal: `achieved/configured ≥ 0.95 and max in any one-second window ≤ ${RATE}, all ${RECIPIENTS} sent`,
      pass: fraction >= 0.95 && maxWindow <= RATE && counters.sent === RECIPIENTS,
    };
  } finally {
    await proxy.stop();
    await runtime.stop();
  }
}
