/**
 * The one price table of the `cost` bench: AWS's published on-demand list
 * prices for eu-west-1 (Ireland), USD, without free tiers, as read from the
 * services' pricing pages on the date below. DynamoDB's are after its
 * November 2024 on-demand cut. Change a price here and every figure follows;
 * check them again when the date is old.
 */
export const PRICES_DATE = '2026-12-01';
export const PRICES_REGION = 'eu-west-1';

export const PRICE = {
  /** DynamoDB on demand, Standard table class. */
  dynamoWritePerMillion: 0.7068,
  dynamoReadPerMillion: 0.1413,
  dynamoStoragePerGbMonth: 0.283,
  /** SQS standard queue, per million requests (each 64 KiB chunk of a request is one). */
  sqsPerMillion: 0.4,
  /** Lambda on ARM (Graviton). */
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  /** API Gateway HTTP API, first 300 million requests a month. */
  httpApiPerMillion: 1.11,
  /** S3 Standard. */
  s3PutPer1000: 0.005,
  s3GetPer1000: 0.0004,
  /** KMS: a customer-managed key a month, and API requests. */
  kmsKeyMonth: 1,
  kmsPer10000: 0.03,
  /** Secrets Manager: a secret a month, and API calls. */
  secretMonth: 0.4,
  secretsPer10000: 0.05,
  /** CloudWatch. Custom metrics are billed by the hour they receive data. */
  logsIngestPerGb: 0.57,
  logsStoragePerGbMonth: 0.03,
  metricMonth: 0.3,
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  /** Cognito user pools, per monthly active user (Essentials: the first 10,000 are free). */
  cognitoPlusPerMau: 0.02,
  cognitoEssentialsPerMau: 0.015,
  /** SES outbound, shown apart: per 1,000 messages and per GB of messages. */
  sesPer1000: 0.1,
  sesPerGb: 0.12,
} as const;

export const HOURS_PER_MONTH = 730;
