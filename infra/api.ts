/**
 * API and dashboard: one HTTP API. The public routes (open pixel, click
 * redirect, one-click unsubscribe, web version) carry HMAC-signed tokens and
 * need no login; every staff route (/api/…) sits behind the Cognito user
 * pool's JWT authorizer. The dashboard page itself is a static shell that
 * holds no data; it reads everything through /api with the staff token.
 */
import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnRoute,
  type CfnStage,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { acknowledge } from './nag.js';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  type IBucket,
} from 'aws-cdk-lib/aws-s3';
import { CLI_LOGIN_REDIRECT, ENV } from '../functions/adapters/config.js';
import { cognitoIssuer, STAFF_GROUPS } from '../functions/adapters/stack-definition.js';
import { denyWritesBeyond, grantTable, TABLE_ACCESS } from './access.js';
import { hasEntry } from './bundling.js';
import { privacyEnv, type StackConfig } from './config.js';
import { DemarcheFunction } from './lambda.js';
import type { Storage } from './storage.js';

/** The staff roles (Cognito groups) the API checks. */
export { STAFF_GROUPS };

/**
 * Routes reachable without a login, each guarded by a signed token in its
 * path, but for the dashboard's static page and the generated privacy notice
 * (which names no one).
 */
export const PUBLIC_ROUTES = {
  tracking: [
    { path: '/t/o/{token}', methods: [HttpMethod.GET] },
    { path: '/t/c/{token}', methods: [HttpMethod.GET] },
    { path: '/u/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
  ],
  web: [
    { path: '/w/{token}', methods: [HttpMethod.GET] },
    { path: '/privacy', methods: [HttpMethod.GET] },
  ],
  signon: [
    // Coalition sign-on: the invite page and its form, the confirmation link, the full list.
    { path: '/s/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
    { path: '/s/c/{token}', methods: [HttpMethod.GET, HttpMethod.POST] },
    { path: '/s/l/{token}', methods: [HttpMethod.GET] },
    // The open letter (statement and signatories), when a campaigner turned it on and it was sent.
    { path: '/s/o/{token}', methods: [HttpMethod.GET] },
  ],
  dashboard: [
    { path: '/dashboard', methods: [HttpMethod.GET] },
    { path: '/dashboard/{proxy+}', methods: [HttpMethod.GET] },
  ],
} as const;

/**
 * Throttles per route (requests a second, burst), apart for each route: a
 * flood of the public URLs — garbage tokens, a replayed pixel — uses up its
 * own route's allowance and never the staff API's, so the dashboard answers
 * through it. The stage's default covers the dashboard's static files.
 */
export const ROUTE_THROTTLES: Record<string, { rateLimit: number; burstLimit: number }> = {
  'GET /t/o/{token}': { rateLimit: 100, burstLimit: 200 },
  'GET /t/c/{token}': { rateLimit: 50, burstLimit: 100 },
  'GET /u/{token}': { rateLimit: 10, burstLimit: 20 },
  'POST /u/{token}': { rateLimit: 10, burstLimit: 20 },
  'GET /w/{token}': { rateLimit: 20, burstLimit: 40 },
  'GET /privacy': { rateLimit: 20, burstLimit: 40 },
  'ANY /api/{proxy+}': { rateLimit: 50, burstLimit: 100 },
};

export interface ApiProps {
  config: StackConfig;
  storage: Storage;
  logRetention: RetentionDays;
  /** Where S3 server access logs go (the stack's access-log bucket). */
  accessLogs: IBucket;
}

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly loginDomain: UserPoolDomain;
  /** Large recipients lists, PUT by the clients with a presigned URL and read by the import job. */
  readonly uploads: Bucket;
  /** Base URL of the public routes: config.publicUrl, else the HTTP API's own URL. */
  readonly publicUrl: string;
  readonly tracking?: DemarcheFunction;
  readonly web?: DemarcheFunction;
  readonly signon?: DemarcheFunction;
  readonly api?: DemarcheFunction;
  /** Routes with a throttle of their own (ROUTE_THROTTLES), by route key. */
  private readonly throttled = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config, storage } = props;
    const region = Stack.of(this).region;

    this.userPool = new UserPool(this, 'Staff', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus (threat protection, $0.02 a staff member a month) in the full profile only.
      featurePlan: config.profile === 'full' ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (config.profile !== 'full')
      acknowledge(this.userPool, {
        id: 'AwsSolutions-COG8',
        reason:
          'Staff sign in with a password and a required TOTP second factor; Plus adds threat protection at $0.02 a staff member a month, and the full profile (cdk.json demarche.profile) has it.',
      });
    for (const group of STAFF_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group === 'campaigner' ? 'may create, launch and stop campaigns' : 'read only',
      });
    }

    this.httpApi = new HttpApi(this, 'Http', {
      description: 'demarche: public tracking routes and the staff API',
      createDefaultStage: false,
    });
    this.publicUrl = config.publicUrl ?? this.httpApi.apiEndpoint;

    const domain = this.userPool.addDomain('Login', {
      cognitoDomain: { domainPrefix: config.loginDomainPrefix },
    });
    // One app client for the dashboard and the CLI (`demarche login` redirects to its loopback
    // server): the API refuses tokens issued to any other client. Users may not write their
    // email (no one renames themselves into a colleague); the email, verified, is only a label.
    this.client = this.userPool.addClient('Dashboard', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.publicUrl}/dashboard`, CLI_LOGIN_REDIRECT],
        logoutUrls: [`${this.publicUrl}/dashboard`, CLI_LOGIN_REDIRECT],
      },
    });
    this.loginDomain = domain;

    this.uploads = new Bucket(this, 'Uploads', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // An upload is read once by its import; nothing keeps it longer than two days.
      lifecycleRules: [{ expiration: Duration.days(2) }],
      // The dashboard PUTs lists from its own origin with the presigned URL.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: [this.publicUrl],
          allowedHeaders: ['content-type'],
          maxAge: 600,
        },
      ],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'Default', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // The route key, never the path: paths carry recipients' signed tokens.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            route: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            error: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const secretEnv = {
      [ENV.table]: storage.table.tableName,
      [ENV.secretArn]: storage.secret.secretArn,
      [ENV.publicUrl]: this.publicUrl,
      ...privacyEnv(config),
    };
    const common = { logRetention: props.logRetention, memorySize: 512 };

    // The internet-facing functions: each route guarded by a signed token, each role denied
    // every table write beyond its own list.
    const publicFunction = (
      id: string,
      name: 'tracking' | 'web' | 'signon',
      description: string,
      timeout: Duration,
    ): DemarcheFunction | undefined => {
      if (!hasEntry(name)) return undefined;
      const fn = new DemarcheFunction(this, id, {
        ...common,
        name,
        description,
        timeout,
        environment: secretEnv,
      });
      grantTable(fn.role, storage.table, TABLE_ACCESS[name]);
      denyWritesBeyond(fn.role, storage.table, TABLE_ACCESS[name]);
      storage.secret.grantRead(fn.role);
      this.addPublicRoutes(name, fn);
      return fn;
    };
    this.tracking = publicFunction(
      'Tracking',
      'tracking',
      'demarche: open pixel, click redirect, one-click unsubscribe',
      Duration.seconds(10),
    );
    // What a flood of its URLs can take is capped here.
    if (this.tracking) reserve(this.tracking, config.trackingConcurrency);
    this.web = publicFunction(
      'Web',
      'web',
      'demarche: the web version of a letter; the privacy notice',
      Duration.seconds(10),
    );
    // A sign-on's confirmation mail may wait up to 10 s for its slot on the shared send line.
    this.signon = publicFunction(
      'Signon',
      'signon',
      'demarche: coalition sign-on pages and their confirmation mail',
      Duration.seconds(15),
    );
    if (hasEntry('api')) {
      const fn = new DemarcheFunction(this, 'Api', {
        name: 'api',
        description: 'demarche: staff API and dashboard',
        // Compiles letters with MJML (create, preview): the one function that carries it.
        memorySize: 1024,
        timeout: Duration.seconds(29),
        logRetention: props.logRetention,
        environment: {
          ...secretEnv,
          [ENV.authIssuer]: cognitoIssuer(region, this.userPool.userPoolId),
          [ENV.authAudience]: this.client.userPoolClientId,
          [ENV.authDomain]: domain.baseUrl(),
          [ENV.templatesDir]: '/var/task/templates',
          [ENV.from]: config.fromAddress,
          [ENV.replyDomain]: config.replyDomain,
        },
      });
      // Upload slots are presigned PUTs: the API's role signs them, so it may put uploads;
      // it reads one to check it exists before an import starts.
      this.allowUploads(fn, ['s3:PutObject', 's3:GetObject']);
      grantTable(fn.role, storage.table, TABLE_ACCESS.api);
      storage.secret.grantRead(fn.role);
      // Key rotation (POST /api/keys/…) writes the new key ring as a new version of the secret;
      // no other function may change it.
      storage.secret.grantWrite(fn.role);
      // Scheduling plans at the account's send rate; GetAccount has no resource-level permissions.
      fn.role.addToPolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
      acknowledge(fn.role, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ses:GetAccount (read the send quota the plan is computed at) supports no resource-level permissions, so its resource must be *; the action itself is not a wildcard.',
      });
      // Issuer: the staff pool; audience: the dashboard client's id. API
      // Gateway matches the audience against a token's `aud` (ID tokens, which
      // the dashboard sends: they carry email and cognito:groups) or, when
      // there is no `aud`, its `client_id` (access tokens): either is accepted
      // from this client, and from no other.
      const authorizer = new HttpUserPoolAuthorizer('Staff', this.userPool, {
        userPoolClients: [this.client],
      });
      // Always there for staff, whatever the public routes take.
      reserve(fn, config.staffApiConcurrency);
      this.note(
        this.httpApi.addRoutes({
          path: '/api/{proxy+}',
          methods: [HttpMethod.ANY],
          integration: new HttpLambdaIntegration('Api', fn.fn),
          authorizer,
        }),
      );
      this.addPublicRoutes('dashboard', fn);
      this.api = fn;
    }

    // Each throttled route's own limits; the stage is deployed after the routes it names.
    const stage = this.stage.node.defaultChild as CfnStage;
    stage.routeSettings = Object.fromEntries(
      [...this.throttled.keys()].map((key) => [
        key,
        // A JSON property, passed to CloudFormation as written: its keys in CloudFormation's case.
        {
          ThrottlingRateLimit: ROUTE_THROTTLES[key]!.rateLimit,
          ThrottlingBurstLimit: ROUTE_THROTTLES[key]!.burstLimit,
        },
      ]),
    );
    for (const route of this.throttled.values()) this.stage.node.addDependency(route);
  }

  private note(routes: HttpRoute[]): HttpRoute[] {
    for (const r of routes) {
      const key = (r.node.defaultChild as CfnRoute).routeKey;
      if (ROUTE_THROTTLES[key]) this.throttled.set(key, r);
    }
    return routes;
  }

  /** Object actions on the uploads (under uploads/, where every presigned PUT goes), nothing else. */
  allowUploads(fn: DemarcheFunction, actions: string[]): void {
    fn.role.addToPolicy(
      new PolicyStatement({ actions, resources: [this.uploads.arnForObjects('uploads/*')] }),
    );
    const bucketId = Stack.of(this).getLogicalId(this.uploads.node.defaultChild as CfnElement);
    acknowledge(fn.role, {
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/uploads/*]`,
      reason:
        'Each upload is a new object named by a random id at run time under uploads/; the grant is the named object actions under that prefix only, no wildcard action.',
    });
    fn.fn.addEnvironment(ENV.uploadBucket, this.uploads.bucketName);
  }

  private addPublicRoutes(kind: keyof typeof PUBLIC_ROUTES, fn: DemarcheFunction): void {
    const integration = new HttpLambdaIntegration(`${kind}Integration`, fn.fn);
    for (const route of PUBLIC_ROUTES[kind]) {
      const added = this.note(
        this.httpApi.addRoutes({
          path: route.path,
          methods: [...route.methods],
          integration,
        }),
      );
      for (const r of added) {
        acknowledge(r, {
          id: 'AwsSolutions-APIG4',
          reason:
            kind === 'dashboard'
              ? 'The dashboard shell is static HTML/JS with no data; every data call goes to /api behind the Cognito JWT authorizer.'
              : 'Recipients follow these links from their mail client without an account; each path carries an HMAC-signed token the function verifies, and a forged token records nothing.',
        });
      }
    }
  }
}

/** Reserved concurrency: at most `n` instances of the function, and `n` always kept for it. */
function reserve(fn: DemarcheFunction, n: number): void {
  (fn.fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = n;
}
