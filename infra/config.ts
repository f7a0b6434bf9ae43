/**
 * The stack's configuration: read from CDK context (cdk.json's "demarche"
 * key, overridable with `-c demarche.<key>=…` or a whole JSON object) and
 * validated with zod, so that a typo fails `cdk synth` with the key that is
 * wrong instead of deploying a half-configured mail system.
 */
import { z } from 'zod';
import { ENV } from '../functions/adapters/config.js';
import { APPROVAL_MODES } from '../functions/core/governance/model.js';

const domainName = z
  .string()
  .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'must be a lower-case domain name such as demarche.example.org',
  });

export const stackConfigSchema = z
  .object({
    /** The verified SES sending domain (Easy DKIM, custom MAIL FROM). */
    domain: domainName,
    /** The campaigns' default From address; must be on `domain`. */
    fromAddress: z.email(),
    /** Where replies arrive (an MX record to SES inbound); the receipt rule covers it. */
    replyDomain: domainName,
    /** Sub-domain label of `domain` used as the custom MAIL FROM domain. */
    mailFromLabel: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
      .default('bounce'),
    /** Share of the SES account's maximum send rate the senders use, in (0, 1]. */
    sesRateMargin: z.number().gt(0).lte(1).default(0.8),
    /** Who receives the alarms (confirm the SNS subscription e-mail after deploying). */
    alarmEmail: z.email(),
    /** Days raw inbound mail stays in S3 before it is deleted. */
    inboundRetentionDays: z.number().int().min(1).max(3650).default(90),
    /** Days Lambda and API access logs are kept. */
    logRetentionDays: z.number().int().min(1).max(3653).default(90),
    /** Largest number of sender instances at once (SQS maximum concurrency, 2–1000). */
    senderMaxConcurrency: z.number().int().min(2).max(1000).default(10),
    /**
     * The SES account's MaxSendRate (`aws sesv2 get-account --query SendQuota.MaxSendRate`):
     * the sender's concurrency is sized to it (× sesRateMargin), up to senderMaxConcurrency.
     */
    sesMaxSendRate: z.number().positive().max(100_000).default(14),
    /**
     * Reserved concurrency of the public tracking function (caps what a flood of its URLs
     * can take) and of the staff API (what it always keeps). Together with the other
     * functions' they must leave the account 100 unreserved executions.
     */
    trackingConcurrency: z.number().int().min(1).max(1000).default(20),
    staffApiConcurrency: z.number().int().min(1).max(1000).default(10),

    /**
     * What the stack costs while nothing is sent (docs/cost.md). `lean`, the
     * default: the alarms that page someone about lost letters, deadlines and
     * the SES account's standing, on an SNS topic without a customer-managed
     * key; Cognito's Essentials tier; no CloudWatch dashboard or per-campaign
     * SES metrics (the staff dashboard shows each campaign's figures). `full`:
     * every alarm, the CloudWatch dashboard, SES's per-campaign metrics, a KMS
     * key for the alarm topic and Cognito's Plus tier.
     */
    profile: z.enum(['lean', 'full']).default('lean'),
    /** Globally unique prefix of the Cognito hosted login domain. */
    loginDomainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
      .refine((s) => !/aws|amazon|cognito/.test(s), {
        message: 'must not contain aws, amazon or cognito (Cognito refuses those)',
      }),
    /** Public base URL of the tracking routes when served on a custom domain; the HTTP API URL otherwise. */
    publicUrl: z.url().optional(),
    /**
     * Who must approve a launch: `two-person` (a campaigner other than the
     * author) or `single` (small teams: the author may). Read by the server only.
     */
    approval: z.enum(APPROVAL_MODES).default('two-person'),
    /**
     * The From addresses a statement may use: full addresses, or `@domain`
     * for any address on that domain (on `domain` or a sub-domain of it, the
     * verified identity). Default: `[fromAddress]`.
     */
    /**
     * The privacy notice letters and the recipients' pages link to: `url`,
     * the deployment's own page (https); without it demarche serves one at
     * /privacy, naming `controller` (who is responsible, with a postal
     * address) and `contact` (where to object or ask to be forgotten).
     */
    privacy: z
      .strictObject({
        url: z.url({ protocol: /^https$/ }).optional(),
        controller: z.string().trim().min(1).max(500).optional(),
        contact: z.email().optional(),
      })
      .optional(),
    senderAddresses: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .refine(
            (v) =>
              z.email().safeParse(v).success ||
              (v.startsWith('@') && domainName.safeParse(v.slice(1)).success),
            { message: 'must be an address (name@domain) or @domain' },
          ),
      )
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const onDomain = (d: string | undefined) => d === c.domain || !!d?.endsWith(`.${c.domain}`);
    if (!onDomain(c.fromAddress.split('@')[1]?.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['fromAddress'],
        message: `must be an address on ${c.domain} (the verified identity)`,
      });
    }
    const senders = c.senderAddresses ?? [];
    senders.forEach((a, i) => {
      if (!onDomain(a.split('@')[1]))
        ctx.addIssue({
          code: 'custom',
          path: ['senderAddresses', i],
          message: `${a} is not on ${c.domain} (the verified identity): SES would refuse it`,
        });
    });
    const from = c.fromAddress.toLowerCase();
    if (senders.length && !senders.some((a) => a === from || a === `@${from.split('@')[1]}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['senderAddresses'],
        message: `must include fromAddress (${c.fromAddress}), the default From of plain statements`,
      });
    }
    if (c.replyDomain === c.domain) {
      ctx.addIssue({
        code: 'custom',
        path: ['replyDomain'],
        message: 'must differ from domain: its MX record points to SES inbound',
      });
    }
  });

export type StackConfig = z.infer<typeof stackConfigSchema>;

/** The allowed From addresses (and `@domain` entries) a deployment's server checks: default `[fromAddress]`. */
export function senderAddresses(c: StackConfig): string[] {
  return c.senderAddresses ?? [c.fromAddress.toLowerCase()];
}

/**
 * The privacy settings as the environment of the functions that build links
 * to the privacy page or serve it (sender, tracking, web, sign-on, api): only the keys
 * that are set.
 */
export function privacyEnv(c: StackConfig): Record<string, string> {
  const p = c.privacy ?? {};
  return {
    ...(p.url ? { [ENV.privacyUrl]: p.url } : {}),
    ...(p.controller ? { [ENV.privacyController]: p.controller } : {}),
    ...(p.contact ? { [ENV.privacyContact]: p.contact } : {}),
  };
}

/** Thrown when the CDK context does not describe a deployable stack; names each bad key. */
export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid demarche configuration (cdk.json context "demarche"): ${problems.join('; ')}`);
    this.name = 'StackConfigError';
  }
}

/**
 * Validates the raw context value. A string (from `-c demarche='{…}'`) is
 * parsed as JSON first; every problem is reported with its key.
 */
export function parseStackConfig(raw: unknown): StackConfig {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new StackConfigError(['the context value is a string but not JSON']);
    }
  }
  if (value === undefined || value === null) {
    throw new StackConfigError(['missing: set the "demarche" object in cdk.json\'s context']);
  }
  const result = stackConfigSchema.safeParse(value);
  if (!result.success) {
    throw new StackConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}
