/**
 * Synthesizes the real demarche stack once per test file, the way `cdk
 * synth` does: real esbuild bundles, cdk-nag's AwsSolutions pack as a CDK
 * validation plugin, the configuration from cdk.json. Returns the template,
 * the cloud assembly folder and the validation report.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../../infra/bundling.js';
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

/** The configuration cdk.json ships with. */
export function shippedConfig(): StackConfig {
  const cdk = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: { demarche: unknown };
  };
  return parseStackConfig(cdk.context.demarche);
}

export function synthesize(): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'demarche-cdk-'));
  const app = new App({ outdir });
  const config = shippedConfig();
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
