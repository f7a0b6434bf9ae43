/**
 * Synthesizes the real demarche stack once per test file, the way `cdk
 * synth` does: real esbuild bundles, cdk-nag's AwsSolutions pack as a CDK
 * validation plugin, the context (feature flags and configuration) from cdk.json. Returns the template,
 * the cloud assembly folder and the validation report.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type FunctionName, REPO_ROOT } from '../../infra/bundling.js';
import type { DemarcheFunction } from '../../infra/lambda.js';
import { parseStackConfig, type StackConfig } from '../../infra/config.js';
import { DemarcheStack } from '../../infra/stack.js';

export interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
  reason?: string;
  acknowledgedId?: string;
}
export interface PluginReport {
  pluginName: string;
  conclusion: string;
  violations: Violation[];
  suppressedViolations?: Violation[];
}

export interface Synthesized {
  config: StackConfig;
  stack: DemarcheStack;
  template: Template;
  outdir: string;
  nag: PluginReport | undefined;
  error?: unknown;
}

/** cdk.json's context: the feature flags `cdk synth` applies, and the "demarche" configuration. */
function shippedContext(): Record<string, unknown> & { demarche: unknown } {
  return (
    JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown> & { demarche: unknown };
    }
  ).context;
}

/** The configuration cdk.json ships with. */
export function shippedConfig(): StackConfig {
  return parseStackConfig(shippedContext().demarche);
}

/**
 * `bundle: false` skips esbuild (CDK's bundling-stacks context, as `cdk synth
 * --exclusively` does for other stacks): the same template, with placeholder
 * code, in seconds. For tests that read policies, not packages.
 */
export function synthesize(
  opts: { bundle?: boolean; config?: Partial<StackConfig> } = {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'demarche-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...shippedContext(),
      ...(opts.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const config = { ...shippedConfig(), ...opts.config };
  const stack = new DemarcheStack(app, 'Test', {
    config,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let error: unknown;
  try {
    app.synth();
  } catch (err) {
    // A failed validation still writes its report; the tests read it.
    error = err;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: PluginReport[];
  };
  return {
    config,
    stack,
    template: Template.fromStack(stack),
    outdir,
    nag: report.pluginReports.find((p) => p.pluginName === 'AwsSolutions'),
    error,
  };
}

/** The deployed functions by name, from the stack object (only those whose handler exists). */
export function deployedFunctions(
  stack: DemarcheStack,
): Partial<Record<FunctionName, DemarcheFunction>> {
  const all: Record<FunctionName, DemarcheFunction | undefined> = {
    sender: stack.sending.sender,
    launch: stack.sending.launch,
    events: stack.events.handler,
    tracking: stack.api.tracking,
    web: stack.api.web,
    signon: stack.api.signon,
    inbound: stack.inbound.handler,
    api: stack.api.api,
    scheduler: stack.scheduling.handler,
  };
  return Object.fromEntries(Object.entries(all).filter(([, f]) => f)) as Partial<
    Record<FunctionName, DemarcheFunction>
  >;
}
