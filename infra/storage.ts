/**
 * Storage: the one DynamoDB table, built from the definition the local
 * runtime also uses (functions/adapters/table-definition.ts), whose resource
 * policy keeps versions, approvals and the audit log as written, and the HMAC
 * secret that signs every tracking, unsubscribe, web-version and reply token.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, PolicyDocument } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { recordsStayStatement } from './access.js';
import { acknowledge } from './nag.js';
import { Construct } from 'constructs';
import { TABLE } from '../functions/adapters/table-definition.js';

export class Storage extends Construct {
  readonly table: Table;
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The records' Deny for every principal of the account too (an operator's
      // script, a role made outside this stack), not only the functions' roles:
      // changing them takes changing this policy first, which CloudTrail records.
      resourcePolicy: new PolicyDocument({
        statements: [recordsStayStatement(['*'], [new AnyPrincipal()])],
      }),
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.gsi1.indexName,
      partitionKey: { name: TABLE.gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.gsi1.sortKey, type: AttributeType.STRING },
      // What the index's queries read, not ALL (table-definition.ts GSI1_PROJECTED).
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...TABLE.gsi1.nonKeyAttributes],
    });

    // A plain 64-character string: loadSecret() requires at least 32.
    this.secret = new Secret(this, 'SigningSecret', {
      description: 'demarche HMAC key for tracking, unsubscribe, web-version and reply tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.secret, {
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs links inside letters already delivered (unsubscribe must keep working for months, RFC 8058); automatic rotation would break them. Rotate by hand with a dual-key verification window.',
    });
  }
}
