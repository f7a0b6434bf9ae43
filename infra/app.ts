/**
 * The CDK app. Configuration comes from the "demarche" context (cdk.json),
 * validated before anything is built; cdk-nag's AwsSolutions pack checks the
 * whole app on every synth, so an unsuppressed finding fails `cdk synth`.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseStackConfig, StackConfigError } from './config.js';
import { DemarcheStack } from './stack.js';

const app = new App();
try {
  const config = parseStackConfig(app.node.tryGetContext('demarche'));
  new DemarcheStack(app, 'Demarche', {
    config,
    description: 'demarche: advocacy letters through SES v2, tracked in DynamoDB',
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION,
    },
  });
} catch (err) {
  if (err instanceof StackConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
