/**
 * Least-privilege grants written out by action, so a reviewer reads exactly
 * what each function may do. CDK's grantReadWriteData would add actions the
 * code never calls (Scan, DeleteItem, BatchGetItem) and an index wildcard.
 */
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { TABLE } from '../functions/adapters/table-definition.js';

/** The DynamoDB actions demarche's store uses, by kind. Transactions need the per-item actions. */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  batchRead: ['dynamodb:BatchGetItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  batchWrite: ['dynamodb:BatchWriteItem'],
} as const;

export type TableAccess = keyof typeof TABLE_ACTIONS;

/** Grants the listed kinds of access on the table and its one index, nothing else. */
export function grantTable(grantee: IGrantable, table: Table, kinds: TableAccess[]): void {
  const actions = [...new Set(kinds.flatMap((k) => TABLE_ACTIONS[k]))].sort();
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [table.tableArn, `${table.tableArn}/index/${TABLE.gsi1.indexName}`],
    }),
  );
}
