/**
 * The demarche stack: one construct per concern, composed here. Only the
 * functions whose handler file exists are deployed (infra/bundling.ts
 * lists them all); each gets exactly the environment variables of
 * functions/adapters/config.ts ENV that it reads.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../functions/adapters/config.js';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { acknowledge } from './nag.js';
import { Api } from './api.js';
import { privacyEnv, senderAddresses, type StackConfig } from './config.js';
import { Events } from './events.js';
import { Inbound } from './inbound.js';
import { Observability } from './observability.js';
import { Scheduling } from './scheduling.js';
import { Sending } from './sending.js';
import { Storage } from './storage.js';

export interface DemarcheStackProps extends StackProps {
  config: StackConfig;
}

export class DemarcheStack extends Stack {
  readonly storage: Storage;
  readonly sending: Sending;
  readonly events: Events;
  readonly inbound: Inbound;
  readonly api: Api;
  readonly scheduling: Scheduling;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: DemarcheStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = retention(config.logRetentionDays);

    this.storage = new Storage(this, 'Storage');
    this.sending = new Sending(this, 'Sending', { config, storage: this.storage, logRetention });
    this.events = new Events(this, 'Events', {
      storage: this.storage,
      configurationSet: this.sending.configurationSet,
      logRetention,
      campaignMetrics: config.profile === 'full',
    });
    this.inbound = new Inbound(this, 'Inbound', { config, storage: this.storage, logRetention });
    this.api = new Api(this, 'Api', {
      config,
      storage: this.storage,
      logRetention,
      accessLogs: this.inbound.accessLogs,
    });
    this.scheduling = new Scheduling(this, 'Scheduling', {
      storage: this.storage,
      sendQueue: this.sending.queue,
      logRetention,
    });

    // The sender builds tracking, unsubscribe and web-version links: it needs
    // the public URL, which only exists once the HTTP API does.
    this.sending.sender?.fn.addEnvironment(ENV.publicUrl, this.api.publicUrl);
    // …and the privacy page its letters link to.
    for (const [k, v] of Object.entries(privacyEnv(config)))
      this.sending.sender?.fn.addEnvironment(k, v);
    if (this.api.api) {
      const api = this.api.api;
      // Campaigners launch from the API: it queues the jobs itself (core/launch.ts).
      api.fn.addEnvironment(ENV.sendQueueUrl, this.sending.queue.queueUrl);
      api.fn.addEnvironment(
        ENV.configurationSet,
        this.sending.configurationSet.configurationSetName,
      );
      this.sending.queue.grantSendMessages(api.role);
      // Launch and schedule run preflight first (identity, configuration set: core/preflight.ts).
      this.sending.allowPreflight(api);
      this.scheduling.allowManaging(api);
      // Staff read the raw message of a reply (the launch function's erasure jobs delete them).
      this.inbound.allowReading(api);
    }
    // Sign-on: its function mails each signature's confirmation link, paced on the shared
    // send line; the API tells an organisation when staff change how its name is shown.
    if (this.api.signon) this.sending.allowMail(this.api.signon, true);
    // The scheduler closes sign-on at its closing time (the letter's full-list link is signed)
    // and, after the send-out, mails each signatory a copy of the letter and the delivery
    // summary, paced on the same send line.
    if (this.scheduling.handler) {
      const scheduler = this.scheduling.handler;
      this.sending.allowMail(scheduler, true);
      scheduler.fn.addEnvironment(ENV.secretArn, this.storage.secret.secretArn);
      this.storage.secret.grantRead(scheduler.role);
      scheduler.fn.addEnvironment(ENV.publicUrl, this.api.publicUrl);
      // Locking the list compiles the letters again, from the template copied beside the bundle.
      scheduler.fn.addEnvironment(ENV.templatesDir, '/var/task/templates');
      for (const [k, v] of Object.entries(privacyEnv(config))) scheduler.fn.addEnvironment(k, v);
    }
    if (this.api.api) this.sending.allowMail(this.api.api, false);
    if (this.api.tracking) {
      // The tracking routes send their events to the events queue; the events function applies them.
      this.api.tracking.fn.addEnvironment(ENV.eventsQueueUrl, this.events.queue.queueUrl);
      this.events.queue.grantSendMessages(this.api.tracking.role);
    }
    if (this.events.handler) {
      // A hard bounce before the deadline moves the letter to the recipient's next fallback
      // address and queues it again; the fallback's suppression check needs the secret.
      const events = this.events.handler;
      events.fn.addEnvironment(ENV.sendQueueUrl, this.sending.queue.queueUrl);
      events.fn.addEnvironment(ENV.secretArn, this.storage.secret.secretArn);
      this.sending.queue.grantSendMessages(events.role);
      this.storage.secret.grantRead(events.role);
    }

    // Launches and large imports are the launch function's: the API and the scheduler invoke it
    // asynchronously (functions/adapters/lambda-jobs.ts); it reads uploaded lists.
    const launch = this.sending.launch;
    if (launch) {
      for (const caller of [this.api.api, this.scheduling.handler]) {
        if (!caller) continue;
        caller.fn.addEnvironment(ENV.launchFunction, launch.fn.functionName);
        // The function itself, not its versions or aliases (`:*`): invoked by name.
        caller.role.addToPolicy(
          new PolicyStatement({
            actions: ['lambda:InvokeFunction'],
            resources: [launch.fn.functionArn],
          }),
        );
      }
      this.api.allowUploads(launch, ['s3:GetObject']);
      // Erasure jobs: the address index and the suppression hash are keyed with the
      // secret; a person's raw replies are deleted; SES's account-level suppression
      // list (plain addresses) loses theirs. The suppression-list actions have no
      // resource-level permissions.
      launch.fn.addEnvironment(ENV.secretArn, this.storage.secret.secretArn);
      this.storage.secret.grantRead(launch.role);
      this.inbound.allowReading(launch, { erase: true });
      launch.role.addToPolicy(
        new PolicyStatement({ actions: ['ses:DeleteSuppressedDestination'], resources: ['*'] }),
      );
      acknowledge(launch.role, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "ses:DeleteSuppressedDestination (erasure takes a person off SES's account-level suppression list) supports no resource-level permissions, so its resource must be *; the action itself is not a wildcard.",
      });
    }

    // Deployment decisions the server reads, never the caller's environment:
    // who must approve a launch (checked by the API, the launch function and
    // the scheduler) and which From addresses a statement may use.
    for (const f of [this.api.api, this.sending.launch, this.scheduling.handler])
      f?.fn.addEnvironment(ENV.approval, config.approval);
    this.api.api?.fn.addEnvironment(ENV.senderAddresses, senderAddresses(config).join(','));
    if (this.api.tracking) {
      // Opens, clicks and unsubscribes reach the counters through the events
      // function: the internet-facing tracking role writes no campaign item.
      const tracking = this.api.tracking;
      tracking.fn.addEnvironment(ENV.eventsQueueUrl, this.events.queue.queueUrl);
      this.events.queue.grantSendMessages(tracking.role);
    }

    const functions = {
      sender: this.sending.sender,
      launch: this.sending.launch,
      events: this.events.handler,
      inbound: this.inbound.handler,
      tracking: this.api.tracking,
      web: this.api.web,
      signon: this.api.signon,
      api: this.api.api,
      scheduler: this.scheduling.handler,
    };
    this.observability = new Observability(this, 'Observability', {
      profile: config.profile,
      alarmEmail: config.alarmEmail,
      configurationSetName: this.sending.configurationSet.configurationSetName,
      functions,
      queues: { send: this.sending.queue, events: this.events.queue },
      deadLetterQueues: {
        send: this.sending.deadLetterQueue,
        events: this.events.deadLetterQueue,
        inbound: this.inbound.deadLetterQueue,
        scheduler: this.scheduling.deadLetterQueue,
      },
    });

    new CfnOutput(this, 'PublicUrl', { value: this.api.publicUrl });
    new CfnOutput(this, 'DashboardUrl', { value: `${this.api.publicUrl}/dashboard` });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'LoginUrl', { value: this.api.loginDomain.baseUrl() });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName });
    new CfnOutput(this, 'SendQueueUrl', { value: this.sending.queue.queueUrl });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.inbound.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.sending.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'DeployedFunctions', {
      value: Object.entries(functions)
        .filter(([, f]) => f)
        .map(([n]) => n)
        .join(','),
    });
  }
}

/** The nearest CloudWatch Logs retention at or above the configured days. */
export function retention(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays)
    .filter((v): v is RetentionDays => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  return allowed.find((d) => d >= days) ?? RetentionDays.TEN_YEARS;
}
