/**
 * One Lambda function of demarche, built the same way for every handler:
 * Node.js 22 on ARM64, bundled locally by esbuild with the shared options
 * (never Docker), its own log group with a retention, and its own role that
 * starts empty: each construct grants only what that function does.
 */
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALIAS, BUNDLE, entryPath, type FunctionName, REPO_ROOT } from './bundling.js';
import { acknowledge } from './nag.js';
import { ensureDashboard } from '../scripts/build-dashboard.js';

/**
 * Repository files a function reads at run time, copied beside its bundle as
 * [from, to] pairs (folders copied whole). The API compiles letters from the
 * MJML template and serves the dashboard (DEMARCHE_TEMPLATES_DIR): its page
 * and the bundle in templates/dashboard/dist/ (uPlot and Preact inside); the
 * scheduler compiles letters from the template alone.
 */
export const COPY_FILES: Partial<Record<FunctionName, [string, string][]>> = {
  api: [['templates', 'templates']],
  // The scheduler compiles the letters again when sign-on closes at its closing time.
  scheduler: [['templates/letter.mjml', 'templates/letter.mjml']],
};

/**
 * Copied files a function never reads, removed from its package after the
 * copy: the dashboard's sources and build settings (45 KiB zipped; the
 * bundle in dist/ is what the API serves).
 */
export const LEFT_BEHIND: Partial<Record<FunctionName, string[]>> = {
  api: [
    'templates/dashboard/src',
    'templates/dashboard/tsconfig.json',
    'templates/dashboard/dist/build.json',
  ],
};

/**
 * Builds what a function's copied files include but the repository does not
 * hold: the dashboard bundle is generated (scripts/build-dashboard.ts), so it
 * is built before the API's files are copied (skipped when up to date).
 */
export function prepareCopyFiles(name: FunctionName): void {
  if (name === 'api') ensureDashboard();
}

export interface DemarcheFunctionProps {
  name: FunctionName;
  description: string;
  memorySize: number;
  timeout: Duration;
  environment: Record<string, string>;
  logRetention: RetentionDays;
}

export class DemarcheFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: DemarcheFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: logs go to
    // this function's group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `demarche ${props.name} function`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    prepareCopyFiles(props.name);
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: entryPath(props.name),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: props.environment,
      bundling: {
        forceDockerBundling: false,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourceMap,
        target: BUNDLE.target,
        format: OutputFormat.ESM,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        externalModules: [...BUNDLE.externalModules],
        // The same stand-ins as the bench's bundles (infra/bundling.ts, LEFT_OUT).
        esbuildArgs: { '--alias': Object.entries(ALIAS).map(([m, to]) => `${m}=${to}`) },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            ...(COPY_FILES[props.name] ?? []).map(
              ([from, to]) =>
                `mkdir -p "$(dirname "${outputDir}/${to}")" && cp -R "${inputDir}/${from}" "${outputDir}/${to}"`,
            ),
            ...(LEFT_BEHIND[props.name] ?? []).map((path) => `rm -rf "${outputDir}/${path}"`),
          ],
        },
      },
    });
    acknowledge(this.fn, {
      id: 'AwsSolutions-L1',
      reason:
        'demarche targets Node.js 22 (DESIGN.md: the runtime its tests and local runtime run on); a newer runtime is adopted deliberately, with the suite run on it first.',
    });
  }
}
