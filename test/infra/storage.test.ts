import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTableInput } from '../../functions/adapters/table-definition.js';
import { DemarcheStack } from '../../infra/stack.js';

describe('the storage construct', () => {
  it('builds the same table the local runtime creates', () => {
    const template = Template.fromStack(new DemarcheStack(new App(), 'Test'));
    const local = createTableInput('demarche');
    const tables = template.findResources('AWS::DynamoDB::Table');
    const [table] = Object.values(tables) as { Properties: Record<string, unknown> }[];
    expect(table!.Properties.KeySchema).toEqual(local.KeySchema);
    expect(new Set(table!.Properties.AttributeDefinitions as unknown[])).toEqual(
      new Set(local.AttributeDefinitions),
    );
    const gsis = table!.Properties.GlobalSecondaryIndexes as {
      IndexName: string;
      KeySchema: unknown;
    }[];
    expect(gsis.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema }))).toEqual(
      local.GlobalSecondaryIndexes.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema })),
    );
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });
});
