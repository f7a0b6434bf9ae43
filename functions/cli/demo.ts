/**
 * `npm start`: the demo. Boots the local runtime, launches the sample
 * statement to the sample list of ministers, EU institutions and NGOs, shows
 * progress and a summary, and keeps serving (inbox included) until Ctrl-C.
 * The sample campaign is sent once per data folder: a later `npm start`
 * shows it again and serves, `--fresh` sends a new one. `--exit` stops after
 * the summary.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalRuntime, type LocalRuntime } from '../local/runtime.js';
import { launchCommand } from './commands/launch.js';
import { statusCommand } from './commands/status.js';
import { readStatement } from './statement-file.js';
import { reportError } from './output.js';
import { replyAddress } from '../core/links.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const examples = (name: string) =>
  fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** A deadline a week ahead at 09:00 UTC, so the demo never launches into the past. */
function demoDeadline(now = new Date()): string {
  const d = new Date(now.getTime() + 7 * 86_400_000);
  d.setUTCHours(9, 0, 0, 0);
  return d.toISOString().replace('.000Z', 'Z');
}

/** A login link for the local dashboard: a campaigner token the runtime's API accepts (local key, or moto's Cognito). */
async function dashboardLink(runtime: LocalRuntime): Promise<string> {
  const token = await runtime.staffToken({
    sub: 'local:demo-campaigner',
    email: 'campaigner@demarche.example.org',
    groups: ['campaigner'],
  });
  return `${runtime.httpUrl}/dashboard/#token=${token}`;
}

/** The sample campaign an earlier `npm start` sent from this data folder, if any. */
async function previousDemo(runtime: LocalRuntime, statement: string) {
  const title = readStatement(statement, () => ({})).title;
  const campaigns = await runtime.deps().store.listCampaigns(200);
  return campaigns
    .filter((c) => c.statement.title === title && !c.dryRun && c.status === 'completed')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      exit: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: process.env.DEMARCHE_DATA_DIR ?? '.demarche' },
      statement: { type: 'string', default: examples('statement.md') },
      recipients: { type: 'string', default: examples('recipients.csv') },
      // `moto`: SQS, S3, Secrets Manager, Scheduler and Cognito emulated by moto_server.
      aws: { type: 'string', default: 'local' },
    },
  });
  if (values.aws !== 'local' && values.aws !== 'moto')
    throw new Error(`--aws must be local or moto, not ${JSON.stringify(values.aws)}`);
  const dataDir = values['data-dir']!;
  console.log(
    'demarche demo: starting the local runtime (DynamoDB Local, SES v2 endpoint, queue)…',
  );
  const runtime = await startLocalRuntime({
    dataDir,
    dynamoPort: 8766,
    sesPort: 8005,
    httpPort: 8767,
    smtpPort: 2525,
    aws: values.aws,
  });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await runtime.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    console.log(
      `  DynamoDB Local  ${runtime.dynamoEndpoint}${runtime.owner ? '' : ' (already running)'}`,
    );
    console.log(`  SES v2 endpoint ${runtime.sesEndpoint}`);
    console.log(`  HTTP            ${runtime.httpUrl}`);
    console.log(`  SMTP (replies)  127.0.0.1:${runtime.smtpPort}`);
    if (runtime.aws)
      console.log(
        `  AWS (moto)      ${runtime.aws.endpoint}: SQS, S3, Secrets Manager, Scheduler, Cognito`,
      );
    const previous = values.fresh ? undefined : await previousDemo(runtime, values.statement!);
    const deadline = demoDeadline();
    if (previous)
      console.log(
        `\nThe sample campaign was sent from this data folder on ${previous.createdAt.slice(0, 16).replace('T', ' ')} UTC (${previous.id}): showing it.\n` +
          'npm start -- --fresh sends a new one.\n',
      );
    else
      console.log(
        `\nLaunching ${values.statement}\n  to ${values.recipients}\n  deadline ${deadline}\n`,
      );
    const view = previous
      ? await statusCommand(previous.id, { runtime, as: 'demo-campaigner' })
      : await launchCommand({
          statement: values.statement!,
          recipients: values.recipients!,
          deadline,
          runtime,
          // Two-person approval (the default): the demo's campaigner writes it, a second demo user approves it.
          as: 'demo-campaigner',
          approver: 'demo-reviewer',
        });
    const c = view.counters;
    console.log(
      `\nSummary: ${c.sent} of ${view.recipients} letters sent, ${c.failed} failed, ${c.expired} expired, ${c.suppressed} suppressed.`,
    );
    // With --exit nothing serves the inbox or the dashboard once this returns: no dead links.
    if (!values.exit) {
      console.log(`Inbox (every letter as the recipient sees it): ${runtime.inboxUrl}`);
      console.log(`Dashboard (signed in as a campaigner): ${await dashboardLink(runtime)}`);
      console.log("A viewer's dashboard link, any time: npx demarche login-link --role viewer");
    }
    console.log(`Status again: npx demarche status ${view.id}`);
    // Replying as the first recipient, with any SMTP client (swaks is one).
    const d = runtime.deps();
    const first = (await d.store.recipientsPage(view.id, undefined, 1)).items[0];
    const campaign = await d.store.getCampaign(view.id);
    // A reply needs the SMTP server, which --exit stops.
    if (first && campaign && !values.exit) {
      const to = replyAddress(
        { keys: await d.keys(), campaignId: view.id, recipientId: first.id },
        campaign.statement.replyToDomain,
      );
      console.log(
        `Reply as ${first.email}: swaks --server 127.0.0.1:${runtime.smtpPort} --from ${first.email} --to ${to} --header 'Subject: Re: ${campaign.statement.subject.replace(/'/g, '')}' --body 'We will raise it at the meeting.'`,
      );
      console.log(`Replies: npx demarche replies ${view.id}`);
    }
    if (c.sent + c.suppressed !== view.recipients) throw new Error('not every letter was sent');
  } catch (err) {
    const code = reportError(err);
    await stop(code);
    return;
  }
  if (values.exit) {
    console.log('\n--exit: stopped. npm start serves the inbox and the dashboard until Ctrl-C.');
    await stop(0);
    return;
  }
  console.log('\nServing until Ctrl-C.');
}

await main();
