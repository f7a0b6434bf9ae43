import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/adapters/config.js';
import { createTableInput } from '../../functions/adapters/table-definition.js';
import { QUEUES } from '../../functions/adapters/stack-definition.js';
import { TABLE_ACTIONS } from '../../infra/access.js';
import type { DemarcheFunction } from '../../infra/lambda.js';
import { packageSize, ZIPPED_LIMIT } from '../../infra/bundle-size.js';
import { FUNCTION_ENTRIES, hasEntry, REPO_ROOT, type FunctionName } from '../../infra/bundling.js';
import { INBOUND_CONCURRENCY } from '../../infra/inbound.js';
import { senderAddresses } from '../../infra/config.js';
import { cfnLint, describeFinding } from './cfn-lint.js';
import { synthesize, type Synthesized } from './synth.js';
import { ROUTE_THROTTLES } from '../../infra/api.js';
import { THRESHOLDS } from '../../infra/observability.js';
import { senderConcurrency } from '../../infra/sending.js';
import { METRIC, METRICS_NAMESPACE } from '../../functions/core/metrics.js';

// CloudFormation JSON: its shape is what the assertions below check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Cfn = any;
type Resources = Record<string, { Type: string; Properties: Cfn }>;

let s: Synthesized;
let resources: Resources;
const ofType = (type: string): [string, { Properties: Cfn }][] =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
/** The stack with `profile: 'full'` (every alarm, the CloudWatch dashboard, a KMS key, Cognito Plus). */
let full: Synthesized;
let fullResources: Resources;
const fullOfType = (type: string): [string, { Properties: Cfn }][] =>
  Object.entries(fullResources).filter(([, r]) => r.Type === type);

beforeAll(() => {
  s = synthesize();
  resources = s.template.toJSON().Resources as Resources;
  full = synthesize({ bundle: false, config: { profile: 'full' } });
  fullResources = full.template.toJSON().Resources as Resources;
}, 360_000);

// The cloud assembly holds every bundle (tens of MB): leave nothing behind in /tmp.
afterAll(() => {
  if (s) rmSync(s.outdir, { recursive: true, force: true });
  if (full) rmSync(full.outdir, { recursive: true, force: true });
});

/** The deployed functions by name, from the stack object (only those whose handler exists). */
function deployed(): Partial<Record<FunctionName, string>> {
  const st = s.stack;
  const fns = {
    sender: st.sending.sender,
    launch: st.sending.launch,
    events: st.events.handler,
    tracking: st.api.tracking,
    web: st.api.web,
    signon: st.api.signon,
    inbound: st.inbound.handler,
    api: st.api.api,
    scheduler: st.scheduling.handler,
  };
  const out: Partial<Record<FunctionName, string>> = {};
  for (const [name, f] of Object.entries(fns)) {
    if (f) out[name as FunctionName] = st.getLogicalId(f.fn.node.defaultChild as never);
  }
  return out;
}

describe('the stack', () => {
  it('synthesizes with every check passing', () => {
    expect(s.error).toBeUndefined();
  });

  it('deploys a function for every handler that exists, and only those', () => {
    const names = Object.keys(FUNCTION_ENTRIES) as FunctionName[];
    expect(Object.keys(deployed()).sort()).toEqual(names.filter(hasEntry).sort());
    // The sender and launch are the first send-out: they must always be there.
    expect(deployed().sender).toBeDefined();
    expect(deployed().launch).toBeDefined();
  });

  it('deploys every handler the local runtime runs', () => {
    // The local runtime's wiring (functions/local/) is the list of handlers in use.
    const localDir = join(REPO_ROOT, 'functions/local');
    const used = new Set<string>();
    for (const f of readdirSync(localDir).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(join(localDir, f), 'utf8');
      for (const m of source.matchAll(/from '\.\.\/([a-z-]+)\/handler\.js'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThanOrEqual(6);
    for (const name of used) {
      expect(FUNCTION_ENTRIES, name).toHaveProperty(name);
      expect(deployed()[name as FunctionName], name).toBeDefined();
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('ran, and reports no unacknowledged finding', () => {
    // A malformed acknowledgement makes the plugin vanish from the report: its presence is the check.
    expect(s.nag).toBeDefined();
    expect(
      s.nag!.violations.map((v) => `${v.ruleName} ${v.violatingConstructs[0]?.constructPath}`),
    ).toEqual([]);
    expect(s.nag!.conclusion).toBe('success');
  });

  it('has a written reason for every acknowledged finding', () => {
    const suppressed = s.nag!.suppressedViolations ?? [];
    expect(suppressed.length).toBeGreaterThan(0);
    for (const v of suppressed) {
      expect(v.reason, v.ruleName).toMatch(/\w+ \w+ \w+ \w+/);
    }
    // Only the findings we expect are waved through.
    const rules = new Set(suppressed.map((v) => v.ruleName.replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual(
      [
        'AwsSolutions-APIG4',
        'AwsSolutions-COG8',
        'AwsSolutions-IAM5',
        'AwsSolutions-L1',
        'AwsSolutions-SMG4',
        'AwsSolutions-SNS2',
        'AwsSolutions-SQS3',
      ].filter((r) => rules.has(r)),
    );
    const iam5 = suppressed.filter((v) => v.ruleName.startsWith('AwsSolutions-IAM5'));
    for (const v of iam5) expect(v.ruleName).not.toMatch(/Action::/);
  });
});

describe('cfn-lint', () => {
  it('finds no error and no warning in the template (rules ignored for a reason: test/infra/cfn-lint.ts)', () => {
    const findings = cfnLint(join(s.outdir, `${s.stack.artifactId}.template.json`), 'eu-west-1');
    expect(findings.map(describeFinding)).toEqual([]);
  }, 180_000);
});

describe('storage', () => {
  it('builds the same table the local runtime creates', () => {
    const local = createTableInput('demarche');
    const [[, table]] = ofType('AWS::DynamoDB::Table') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    expect(new Set(table.Properties.AttributeDefinitions as unknown[])).toEqual(
      new Set(local.AttributeDefinitions),
    );
    const gsis = table.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
      Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
    }[];
    expect(gsis.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema }))).toEqual(
      local.GlobalSecondaryIndexes.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema })),
    );
    // The same projection: what the index's queries read (table-definition.ts).
    expect(
      gsis.map((g) => ({
        ...g.Projection,
        NonKeyAttributes: [...(g.Projection.NonKeyAttributes ?? [])].sort(),
      })),
    ).toEqual(
      local.GlobalSecondaryIndexes.map((g) => ({
        ProjectionType: g.Projection.ProjectionType,
        NonKeyAttributes: [...g.Projection.NonKeyAttributes].sort(),
      })),
    );
  });

  it('is on demand, recoverable, encrypted, with a TTL, and kept on stack deletion', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('generates the HMAC secret long enough for loadSecret', () => {
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });
});

describe('functions', () => {
  it('run Node.js 22 on ARM64 as bundled ESM, with bounded memory and timeouts', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns.length).toBe(Object.keys(deployed()).length);
    for (const [id, f] of fns) {
      const p = f.Properties as Record<string, unknown>;
      expect(p.Runtime, id).toBe('nodejs22.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.Handler, id).toBe('index.handler');
      expect(p.MemorySize as number, id).toBeGreaterThanOrEqual(256);
      expect(p.MemorySize as number, id).toBeLessThanOrEqual(1024);
      expect(p.Timeout as number, id).toBeLessThanOrEqual(600);
      expect(p.LoggingConfig, id).toMatchObject({ LogFormat: 'JSON' });
    }
  });

  it('read only environment variable names from the shared config (ENV)', () => {
    const allowed = new Set<string>(Object.values(ENV));
    for (const [id, f] of ofType('AWS::Lambda::Function')) {
      const vars = Object.keys(
        ((f.Properties as Record<string, { Variables?: object }>).Environment?.Variables ??
          {}) as object,
      );
      for (const v of vars) expect(allowed.has(v), `${id}: ${v}`).toBe(true);
    }
  });

  it('give the sender the table, configuration set, secret, public URL and rate margin', () => {
    const sender = resources[deployed().sender!]!.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(Object.keys(sender.Environment.Variables).sort()).toEqual(
      [ENV.table, ENV.configurationSet, ENV.secretArn, ENV.publicUrl, ENV.sendRateMargin].sort(),
    );
    expect(sender.Environment.Variables[ENV.sendRateMargin]).toBe(String(s.config.sesRateMargin));
  });

  it('let the events handler queue a letter to a fallback address, and the launch function erase people', () => {
    const env = (
      resources[deployed().events!]!.Properties as {
        Environment: { Variables: Record<string, unknown> };
      }
    ).Environment.Variables;
    expect(Object.keys(env).sort()).toEqual([ENV.table, ENV.sendQueueUrl, ENV.secretArn].sort());
    // A function's policies name its role by Ref; the function names it by Fn::GetAtt.
    const roleId = (name: FunctionName) =>
      (resources[deployed()[name]!]!.Properties as { Role: { 'Fn::GetAtt': [string, string] } })
        .Role['Fn::GetAtt'][0];
    const of = (name: FunctionName) =>
      ofType('AWS::IAM::Policy')
        .map(([, p]) => p.Properties as { Roles: { Ref: string }[] })
        .filter((p) => p.Roles.some((r) => r.Ref === roleId(name)))
        .map((p) => JSON.stringify(p));
    expect(of('events').join()).toContain('sqs:SendMessage');
    expect(of('events').join()).toContain('secretsmanager:GetSecretValue');
    // Erasure jobs run in the launch function: raw replies, the keyed index, SES's list.
    expect(of('launch').join()).toContain('s3:DeleteObject');
    expect(of('launch').join()).toContain('secretsmanager:GetSecretValue');
    expect(of('launch').join()).toContain('ses:DeleteSuppressedDestination');
    expect(of('api').join()).not.toContain('s3:DeleteObject');
    // Only the API, where key rotation runs, may write the signing secret.
    expect(of('api').join()).toContain('secretsmanager:PutSecretValue');
    for (const name of Object.keys(deployed()) as FunctionName[])
      if (name !== 'api') expect(of(name).join()).not.toContain('secretsmanager:PutSecretValue');
    expect(of('inbound').join()).not.toContain('s3:DeleteObject');
  });

  it('tell the API and the inbound handler where raw replies are, and the API how staff sign in', () => {
    const env = (name: FunctionName) =>
      (
        resources[deployed()[name]!]!.Properties as {
          Environment: { Variables: Record<string, unknown> };
        }
      ).Environment.Variables;
    for (const name of ['api', 'inbound'] as const) {
      if (!deployed()[name]) continue;
      expect(Object.keys(env(name))).toEqual(
        expect.arrayContaining([ENV.inboundBucket, ENV.inboundPrefix]),
      );
      expect(env(name)[ENV.inboundPrefix]).toBe('inbound/');
    }
    if (deployed().api) {
      expect(Object.keys(env('api'))).toEqual(
        expect.arrayContaining([
          ENV.authIssuer,
          ENV.authAudience,
          ENV.authDomain,
          ENV.scheduleGroup,
          ENV.sendQueueUrl,
        ]),
      );
      expect(env('api')[ENV.from]).toBe(s.config.fromAddress);
    }
  });

  it("tell the server the deployment's approval mode and sender addresses, and the tracking function the events queue", () => {
    const env = (name: FunctionName) =>
      (resources[deployed()[name]!]!.Properties as Cfn).Environment.Variables as Record<
        string,
        unknown
      >;
    for (const name of ['api', 'launch', 'scheduler'] as const)
      if (deployed()[name]) expect(env(name)[ENV.approval], name).toBe(s.config.approval);
    for (const name of ['sender', 'events', 'tracking', 'web', 'signon', 'inbound'] as const)
      if (deployed()[name]) expect(env(name), name).not.toHaveProperty(ENV.approval);
    if (deployed().api) {
      expect(env('api')[ENV.senderAddresses]).toBe(senderAddresses(s.config).join(','));
      expect(env('api')[ENV.replyDomain]).toBe(s.config.replyDomain);
    }
    if (deployed().tracking) {
      const [queueId] = ofType('AWS::SQS::Queue').find(([qid]) => qid.includes('EventsQueue'))!;
      expect(env('tracking')[ENV.eventsQueueUrl]).toEqual({ Ref: queueId });
      const roleId = (resources[deployed().tracking!]!.Properties as Cfn).Role['Fn::GetAtt'][0];
      const sends = ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties as Cfn).Roles.some((r: Cfn) => r.Ref === roleId))
        .flatMap(([, p]) => (p.Properties as Cfn).PolicyDocument.Statement as Cfn[])
        .filter((st) => [st.Action].flat().includes('sqs:SendMessage'));
      expect(sends.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    }
  });

  it('drain SQS with partial batch responses and a maximum concurrency', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBe(deployed().events ? 2 : 1);
    for (const [id, m] of mappings) {
      const p = m.Properties as Record<string, unknown>;
      expect(p.FunctionResponseTypes, id).toEqual(['ReportBatchItemFailures']);
      expect(
        (p.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency,
        id,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it('keep every deployment package under 1 MB zipped, MJML only where letters are compiled, without what MJML never calls', () => {
    const assets = readdirSync(s.outdir).filter((d) => d.startsWith('asset.'));
    const byFunction = new Map<string, string>();
    for (const [name, id] of Object.entries(deployed())) {
      // The code's S3 key is the asset hash; the bundle sits in cdk.out/asset.<hash>/.
      const key = (resources[id]!.Properties as { Code: { S3Key: string } }).Code.S3Key;
      const dir = `asset.${key.replace(/\.zip$/, '')}`;
      expect(assets).toContain(dir);
      byFunction.set(name, join(s.outdir, dir));
    }
    for (const [name, dir] of byFunction) {
      const size = packageSize(dir);
      expect(size.zipped, `${name}: ${size.zipped} bytes zipped`).toBeLessThanOrEqual(ZIPPED_LIMIT);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      if (name === 'api') {
        // The API reads the letter template and serves the dashboard: its page and its bundle.
        for (const f of [
          'letter.mjml',
          'dashboard/index.html',
          'dashboard/dist/app.js',
          'dashboard/dist/app.css',
        ]) {
          expect(existsSync(join(dir, 'templates', f)), f).toBe(true);
        }
        // The dashboard's sources stay behind: the bundle is what the API serves.
        expect(existsSync(join(dir, 'templates', 'dashboard', 'src'))).toBe(false);
      }
      // mj-column is MJML's own component name: present only if MJML was bundled. The API
      // compiles letters; so does the scheduler, when sign-on closes at its closing time.
      if (name === 'scheduler')
        expect(existsSync(join(dir, 'templates', 'letter.mjml')), 'scheduler letter.mjml').toBe(
          true,
        );
      if (name === 'api' || name === 'scheduler') expect(code, name).toContain('mj-column');
      else expect(code, name).not.toContain('mj-column');
      // CDK bundles with the same stand-ins as the bench (infra/bundling.ts, LEFT_OUT).
      if (name === 'api') expect(code).toContain('LEFT_OUT');
      // undici's own error class name: present only if cheerio's fetching came along.
      expect(code, name).not.toContain('UND_ERR_');
    }
  });
});

describe('sending', () => {
  it('verifies the domain with Easy DKIM and a custom MAIL FROM domain', () => {
    s.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: s.config.domain,
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: {
        MailFromDomain: `${s.config.mailFromLabel}.${s.config.domain}`,
        BehaviorOnMxFailure: 'REJECT_MESSAGE',
      },
      ConfigurationSetAttributes: Match.anyValue(),
    });
  });

  it('has a configuration set with reputation metrics, TLS required and an EventBridge destination', () => {
    s.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    s.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        EventBridgeDestination: Match.anyValue(),
        MatchingEventTypes: Match.arrayWith([
          'send',
          'delivery',
          'bounce',
          'complaint',
          'open',
          'click',
        ]),
      }),
    });
  });

  it('builds the send and events queues from the definitions the emulated-AWS mode also reads', () => {
    const queues = ofType('AWS::SQS::Queue');
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    for (const def of Object.values(QUEUES)) {
      const [id, q] = queues.find(([qid]) => qid.includes(def.id))!;
      const [, dlq] = queues.find(([qid]) => qid.includes(def.deadLetter.id))!;
      expect(q.Properties, def.id).toMatchObject({
        VisibilityTimeout: def.visibilityTimeoutSeconds,
        MessageRetentionPeriod: def.retentionSeconds,
        RedrivePolicy: { maxReceiveCount: def.maxReceiveCount },
      });
      expect(dlq.Properties.MessageRetentionPeriod, def.deadLetter.id).toBe(
        def.deadLetter.retentionSeconds,
      );
      const mapping = mappings.find(([, m]) =>
        JSON.stringify(m.Properties.EventSourceArn).includes(id),
      );
      expect(mapping, `${def.id} event source`).toBeDefined();
      expect(mapping![1].Properties, def.id).toMatchObject({
        BatchSize: def.batchSize,
        MaximumBatchingWindowInSeconds: def.maxBatchingWindowSeconds,
      });
    }
  });

  it('queues send jobs with a dead-letter queue, redrive and TLS-only access', () => {
    const queues = ofType('AWS::SQS::Queue');
    const send = queues.find(([id]) => id.includes('SendQueue'))!;
    const dlq = queues.find(([id]) => id.includes('SendDlq'))!;
    expect(send[1].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq[0], 'Arn'] }, maxReceiveCount: 5 },
    });
    const sender = resources[deployed().sender!]!.Properties as { Timeout: number };
    expect(
      (send[1].Properties as { VisibilityTimeout: number }).VisibilityTimeout,
    ).toBeGreaterThanOrEqual(6 * sender.Timeout);
    for (const [id] of queues) {
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: Match.arrayWith([{ Ref: id }]),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('least privilege', () => {
  const statements = () =>
    ofType('AWS::IAM::Policy').flatMap(([id, p]) =>
      (
        p.Properties as {
          PolicyDocument: {
            Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
          };
        }
      ).PolicyDocument.Statement.map((st) => ({ id, ...st })),
    );
  const actions = (a: string | string[]) => (Array.isArray(a) ? a : [a]);

  it('grants no wildcard action', () => {
    for (const st of statements()) {
      for (const a of actions(st.Action)) expect(a, st.id).not.toContain('*');
    }
  });

  it('lets the sender, and for sign-on its function, the API and the scheduler, send mail: as the verified identity through the configuration set', () => {
    const ses = statements().filter((st) =>
      actions(st.Action).some((a) => a.startsWith('ses:Send')),
    );
    const policyOf = (role: {
      node: { findChild(id: string): { node: { defaultChild: unknown } } };
    }) => s.stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as never);
    // The sign-on function mails confirmation links; the API tells an organisation of a rename;
    // the scheduler mails signatories their copy of the letter and the delivery summary.
    expect(new Set(ses.map((st) => st.id))).toEqual(
      new Set([
        policyOf(s.stack.sending.sender!.role),
        policyOf(s.stack.api.signon!.role),
        policyOf(s.stack.api.api!.role),
        policyOf(s.stack.scheduling.handler!.role),
      ]),
    );
    for (const st of ses) {
      expect(actions(st.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resourcesJson = JSON.stringify(st.Resource);
      expect(resourcesJson).toContain(`:identity/${s.config.domain}`);
      expect(resourcesJson).toContain(':configuration-set/');
      expect((st.Resource as unknown[]).length).toBe(2);
      expect(JSON.stringify((st as { Condition?: unknown }).Condition)).toContain(
        'ses:FromAddress',
      );
    }
  });

  it('lets only the sender, the API (plans, preflight), the sign-on function and the scheduler (their mail, paced) read the SES send quota; the API reads identities and the configuration set, and nothing else of SES', () => {
    const policyOf = (role: {
      node: { findChild(id: string): { node: { defaultChild: unknown } } };
    }) => s.stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as never);
    const quota = statements().filter((st) => actions(st.Action).includes('ses:GetAccount'));
    expect(new Set(quota.map((st) => st.id))).toEqual(
      new Set([
        policyOf(s.stack.sending.sender!.role),
        policyOf(s.stack.api.api!.role),
        policyOf(s.stack.api.signon!.role),
        policyOf(s.stack.scheduling.handler!.role),
      ]),
    );
    for (const st of quota) expect(actions(st.Action)).toEqual(['ses:GetAccount']);
    const apiSes = statements().filter(
      (st) =>
        st.id === policyOf(s.stack.api.api!.role) &&
        actions(st.Action).some((a) => a.startsWith('ses:')),
    );
    expect(apiSes.flatMap((st) => actions(st.Action)).sort()).toEqual([
      'ses:GetAccount',
      'ses:GetConfigurationSet',
      'ses:GetConfigurationSetEventDestinations',
      'ses:GetEmailIdentity',
      'ses:SendEmail',
      'ses:SendRawEmail',
    ]);
  });

  it('limits table access to the actions the store uses, never Scan or DeleteItem', () => {
    const dynamo = statements().filter((st) =>
      actions(st.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    const used = new Set<string>(Object.values(TABLE_ACTIONS));
    for (const st of dynamo.filter((x) => x.Effect === 'Allow'))
      for (const a of actions(st.Action)) expect(used.has(a), `${st.id}: ${a}`).toBe(true);
    const actionsOf = (role: DemarcheFunction['role']) => {
      const policyId = s.stack.getLogicalId(
        role.node.findChild('DefaultPolicy').node.defaultChild as never,
      );
      return [
        ...new Set(
          dynamo
            .filter((st) => st.id === policyId && st.Effect === 'Allow')
            .flatMap((st) => actions(st.Action)),
        ),
      ].sort();
    };
    // The web version only reads; sign-on puts pending signatures, confirms them, counts requests.
    if (deployed().web) expect(actionsOf(s.stack.api.web!.role)).toEqual(['dynamodb:GetItem']);
    if (deployed().signon)
      expect(actionsOf(s.stack.api.signon!.role)).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
  });
});

describe('events', () => {
  it('routes the configuration set’s SES events from EventBridge to the events queue', () => {
    const [queueId] = ofType('AWS::SQS::Queue').find(([id]) => id.includes('EventsQueue'))!;
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.ses'],
        'detail-type': Match.arrayWith([
          'Email Delivered',
          'Email Bounced',
          'Email Complaint Received',
        ]),
      }),
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })],
    });
  });
});

describe('inbound', () => {
  it('reserves concurrency for the inbound function, so a flood of mail cannot starve sending', () => {
    const id = deployed().inbound;
    if (!id) return;
    expect(resources[id]!.Properties.ReservedConcurrentExecutions).toBe(INBOUND_CONCURRENCY);
  });

  it('has a receipt rule for the reply domain that scans, requires TLS, stores to S3 and invokes the handler', () => {
    s.template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Recipients: [s.config.replyDomain],
        Actions: deployed().inbound
          ? [
              { S3Action: Match.objectLike({ ObjectKeyPrefix: 'inbound/' }) },
              { LambdaAction: Match.objectLike({ InvocationType: 'Event' }) },
            ]
          : [{ S3Action: Match.objectLike({ ObjectKeyPrefix: 'inbound/' }) }],
      }),
    });
  });

  it('keeps raw mail in an encrypted, private, TLS-only bucket that forgets it after the retention', () => {
    const [mailId] = ofType('AWS::S3::Bucket').find(([id]) => id.includes('Mail'))!;
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ ExpirationInDays: s.config.inboundRetentionDays, Prefix: 'inbound/' }),
        ]),
      },
      LoggingConfiguration: Match.anyValue(),
    });
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: mailId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('api and dashboard', () => {
  it('puts every staff route behind the Cognito JWT authorizer and only token routes (and the privacy notice) in public', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectLike({
        Issuer: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('cognito-idp')])]),
        }),
      }),
    });
    const routes = ofType('AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties as { RouteKey: string; AuthorizationType: string },
    );
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) {
      const isPublic =
        /^(GET|POST) \/(t\/o|t\/c|u|w|s|s\/c|s\/l|s\/o)\/\{token\}$|^GET \/dashboard(\/\{proxy\+\})?$|^GET \/privacy$/.test(
          r.RouteKey,
        );
      expect(r.AuthorizationType, r.RouteKey).toBe(isPublic ? 'NONE' : 'JWT');
    }
    if (deployed().api) expect(routes.some((r) => r.RouteKey === 'ANY /api/{proxy+}')).toBe(true);
  });

  it("accepts the dashboard client's tokens only: issuer the staff pool, audience its one client", () => {
    const st = s.stack;
    const poolId = st.getLogicalId(st.api.userPool.node.defaultChild as never);
    const clientId = st.getLogicalId(st.api.client.node.defaultChild as never);
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers.length).toBe(1);
    const jwt = (authorizers[0]![1].Properties as Cfn).JwtConfiguration;
    // API Gateway matches Audience against `aud` (ID tokens, which the dashboard
    // sends) or, when a token has no `aud`, against `client_id` (access tokens):
    // the client's id accepts both, from this client only.
    expect(jwt.Audience).toEqual([{ Ref: clientId }]);
    expect(jwt.Issuer).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: poolId }]],
    });
    expect((authorizers[0]![1].Properties as Cfn).IdentitySource).toEqual([
      '$request.header.Authorization',
    ]);
    // One client in the pool: no other app's token carries this audience.
    const clients = ofType('AWS::Cognito::UserPoolClient');
    expect(clients.map(([id]) => id)).toEqual([clientId]);
    expect(clients[0]![1].Properties).toMatchObject({
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
    });
    // The handler's own check (second line, and the page's sign-in) reads the same values.
    if (deployed().api) {
      const vars = (resources[deployed().api!]!.Properties as Cfn).Environment.Variables;
      expect(vars[ENV.authIssuer]).toEqual(jwt.Issuer);
      expect(vars[ENV.authAudience]).toEqual({ Ref: clientId });
    }
  });

  it('has a staff user pool without self sign-up, with MFA and the two roles', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(
      ([, g]) => (g.Properties as { GroupName: string }).GroupName,
    );
    expect(groups.sort()).toEqual(['campaigner', 'viewer']);
  });

  it('logs access without the token-bearing paths and throttles the stage', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [
      [string, { Properties: Record<string, unknown> }],
    ];
    const format = (stage.Properties.AccessLogSettings as { Format: string }).Format;
    expect(format).toContain('$context.routeKey');
    expect(format).not.toContain('$context.path');
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: expect.any(Number),
    });
  });
});

describe('scheduling', () => {
  it('ticks the scheduler function every few minutes through its own role, with a DLQ', () => {
    if (!deployed().scheduler) return;
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [deployed().scheduler, 'Arn'] },
        Input: JSON.stringify({ action: 'tick' }),
        DeadLetterConfig: Match.anyValue(),
      }),
    });
  });

  it('has a schedule group and, with the scheduler handler, a role only Scheduler can assume', () => {
    s.template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    if (!deployed().scheduler) return;
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
          }),
        ],
      },
    });
  });
});

describe('observability (the full profile)', () => {
  const alarms = () =>
    fullOfType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Record<string, unknown>);

  it('alarms on every dead-letter queue and every function’s errors', () => {
    const dlqAlarms = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    const dlqs = fullOfType('AWS::SQS::Queue').filter(([id]) => /Dlq/.test(id));
    expect(dlqAlarms.length).toBe(dlqs.length);
    const errorAlarms = alarms().filter((a) => a.MetricName === 'Errors');
    expect(errorAlarms.length).toBe(Object.keys(deployed()).length);
    for (const a of [...dlqAlarms, ...errorAlarms]) {
      expect(a.Threshold).toBe(0);
      expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(a.AlarmActions).toHaveLength(1);
    }
  });

  it('alarms on bounce and complaint rates and the SES account reputation', () => {
    const names = alarms()
      .map((a) => a.MetricName)
      .filter(Boolean);
    expect(names).toEqual(
      expect.arrayContaining(['Reputation.BounceRate', 'Reputation.ComplaintRate']),
    );
    const math = alarms().filter((a) => Array.isArray(a.Metrics));
    const expressions = math.flatMap((a) =>
      (a.Metrics as { Expression?: string }[]).map((m) => m.Expression ?? ''),
    );
    expect(expressions.some((e) => e.includes('bounce / sends'))).toBe(true);
    expect(expressions.some((e) => e.includes('complaint / sends'))).toBe(true);
  });

  it('sends alarms to the configured address through an encrypted topic, and has a dashboard', () => {
    full.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: full.config.alarmEmail,
    });
    full.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    full.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('failure paths an operator sees (the full profile)', () => {
  const alarms = () => fullOfType('AWS::CloudWatch::Alarm');
  const byMetric = (name: string) =>
    alarms().filter(
      ([, a]) => a.Properties.MetricName === name && a.Properties.Namespace === METRICS_NAMESPACE,
    );
  const expressionsOf = (a: { Properties: Cfn }) =>
    ((a.Properties.Metrics ?? []) as { Expression?: string }[]).map((m) => m.Expression ?? '');

  it('lets CloudWatch publish to the alarm topic, for this account and these alarms only', () => {
    const [[, policy]] = fullOfType('AWS::SNS::TopicPolicy') as [[string, { Properties: Cfn }]];
    const statements = policy.Properties.PolicyDocument.Statement as Cfn[];
    const allow = statements.find((st) => st.Effect === 'Allow');
    expect(allow).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
    const arns = allow.Condition.ArnLike['aws:SourceArn'] as { 'Fn::GetAtt': [string, string] }[];
    const ids = alarms().map(([id]) => id);
    expect(arns.map((a) => a['Fn::GetAtt'][0]).sort()).toEqual(ids.sort());
    expect(arns.every((a) => a['Fn::GetAtt'][1] === 'Arn')).toBe(true);
    // The TLS-only Deny stays beside it.
    expect(statements.some((st) => st.Effect === 'Deny')).toBe(true);
    const topic = fullOfType('AWS::SNS::Topic')[0]![0];
    for (const [, a] of alarms()) expect(a.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('alarms on unknown letters, SES account pauses and partial batch failures', () => {
    const one = (name: string) => {
      const found = byMetric(name);
      expect(found, name).toHaveLength(1);
      return found[0]![1];
    };
    expect(one(METRIC.unknownLetters).Properties).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'service', Value: 'demarche' }],
    });
    expect(one(METRIC.accountPauses).Properties).toMatchObject({ Threshold: 0, Statistic: 'Sum' });
    expect(one(METRIC.batchItemFailures).Properties).toMatchObject({
      Threshold: 0,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  it('alarms on the failed rate and on the send queue falling behind the nearest deadline', () => {
    const failed = alarms().find(([, a]) =>
      expressionsOf(a).some((e) => e.includes('failed / (sent + failed)')),
    );
    expect(failed![1].Properties.Threshold).toBe(THRESHOLDS.failedRate);
    const behind = alarms().find(([, a]) => expressionsOf(a).some((e) => e.includes('age > left')));
    const metrics = behind![1].Properties.Metrics as Cfn[];
    const age = metrics.find((m) => m.Id === 'age').MetricStat.Metric;
    expect(age.MetricName).toBe('ApproximateAgeOfOldestMessage');
    expect(age.Dimensions[0].Value).toEqual({
      'Fn::GetAtt': [
        s.stack.getLogicalId(s.stack.sending.queue.node.defaultChild as never),
        'QueueName',
      ],
    });
    const left = metrics.find((m) => m.Id === 'left').MetricStat.Metric;
    expect(left.MetricName).toBe(METRIC.secondsToDeadline);
  });

  it('gives the public routes and the staff API throttles of their own', () => {
    const [[, stage]] = fullOfType('AWS::ApiGatewayV2::Stage') as [[string, { Properties: Cfn }]];
    const settings = stage.Properties.RouteSettings as Record<string, Cfn>;
    const routes = fullOfType('AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties.RouteKey as string,
    );
    const throttled = Object.keys(ROUTE_THROTTLES).filter((k) => routes.includes(k));
    expect(throttled).toEqual(expect.arrayContaining(['GET /t/o/{token}', 'ANY /api/{proxy+}']));
    for (const key of throttled)
      expect(settings[key]).toEqual({
        ThrottlingRateLimit: ROUTE_THROTTLES[key]!.rateLimit,
        ThrottlingBurstLimit: ROUTE_THROTTLES[key]!.burstLimit,
      });
    // A route setting may only name a route that exists when the stage is deployed.
    const stageEntry = Object.values(full.template.toJSON().Resources as Record<string, Cfn>).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Stage',
    );
    const routeIds = fullOfType('AWS::ApiGatewayV2::Route')
      .filter(([, r]) => throttled.includes(r.Properties.RouteKey))
      .map(([id]) => id);
    expect(stageEntry.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });

  it('reserves concurrency for the tracking function and the staff API', () => {
    const fn = (name: FunctionName) => resources[deployed()[name]!]!.Properties;
    if (deployed().tracking)
      expect(fn('tracking').ReservedConcurrentExecutions).toBe(full.config.trackingConcurrency);
    if (deployed().api)
      expect(fn('api').ReservedConcurrentExecutions).toBe(full.config.staffApiConcurrency);
  });

  it("sizes the sender's concurrency to the SES send rate", () => {
    const [mapping] = fullOfType('AWS::Lambda::EventSourceMapping').filter(([, m]) =>
      JSON.stringify(m.Properties.EventSourceArn).includes(
        s.stack.getLogicalId(s.stack.sending.queue.node.defaultChild as never),
      ),
    );
    const expected = senderConcurrency(
      full.config.sesMaxSendRate * full.config.sesRateMargin,
      full.config.senderMaxConcurrency,
    );
    expect(mapping![1].Properties.ScalingConfig).toEqual({ MaximumConcurrency: expected });
    expect(senderConcurrency(1, 10)).toBe(2);
    expect(senderConcurrency(11.2, 10)).toBe(5);
    expect(senderConcurrency(160, 50)).toBe(50);
  });

  it('lets the staff API read what preflight checks: identities and the configuration set', () => {
    if (!deployed().api) return;
    full.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ses:GetEmailIdentity', Effect: 'Allow' }),
          Match.objectLike({
            Action: ['ses:GetConfigurationSet', 'ses:GetConfigurationSetEventDestinations'],
          }),
        ]),
      },
    });
  });

  it('lets the tracking function send to the events queue, whose URL it is given', () => {
    if (!deployed().tracking) return;
    const vars = resources[deployed().tracking!]!.Properties.Environment.Variables;
    expect(vars[ENV.eventsQueueUrl]).toEqual({
      Ref: s.stack.getLogicalId(s.stack.events.queue.node.defaultChild as never),
    });
  });
});

describe('observability (the lean profile, the default)', () => {
  const alarms = () =>
    ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Record<string, unknown>);

  it('keeps the alarms on lost letters, deadlines and the SES account, with no KMS key or CloudWatch dashboard', () => {
    expect(s.config.profile).toBe('lean');
    const dlqAlarms = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms.length).toBe(
      ofType('AWS::SQS::Queue').filter(([id]) => /Dlq/.test(id)).length,
    );
    // One alarm on every function's errors: alarms are billed per metric.
    const errors = alarms().filter((a) => a.MetricName === 'Errors');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.Namespace).toBe('AWS/Lambda');
    expect(errors[0]!.Dimensions).toBeUndefined();
    for (const m of ['Reputation.BounceRate', 'Reputation.ComplaintRate'])
      expect(alarms().filter((a) => a.MetricName === m)).toHaveLength(1);
    for (const m of [METRIC.unknownLetters, METRIC.accountPauses])
      expect(alarms().filter((a) => a.MetricName === m)).toHaveLength(1);
    s.template.resourceCountIs('AWS::KMS::Key', 0);
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.absent() });
    // Billed per alarm metric ($0.10 each): the idle cost docs/cost.md lists.
    const metrics = alarms().reduce(
      (n, a) =>
        n +
        (a.Metrics
          ? (a.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length
          : 1),
      0,
    );
    expect(metrics).toBeLessThanOrEqual(11);
  });

  it('uses Cognito Essentials and no per-campaign SES metrics; the full profile has Plus and both', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
    full.template.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS' });
    expect(ofType('AWS::SES::ConfigurationSetEventDestination')).toHaveLength(1);
    expect(fullOfType('AWS::SES::ConfigurationSetEventDestination')).toHaveLength(2);
  });
});
