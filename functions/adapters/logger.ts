/**
 * The logging policy, in one place: logs carry ids (campaign, recipient,
 * reply, job, message ids), counts and outcomes, never personal data.
 * CloudWatch keeps logs outside the table, where erasure cannot reach, so
 * every log line passes through a formatter that replaces the values of
 * fields that hold personal data (addresses, names, IPs, user agents, reply
 * text, bounce diagnostics) and any address or IP address left in any other
 * string (an error message quoting a recipient, say) before it is written.
 */
import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/** Fields whose value is personal data whatever it looks like. */
const PERSONAL_FIELDS = new Set(
  [
    'email',
    'emails',
    'address',
    'addresses',
    'to',
    'from',
    'cc',
    'bcc',
    'replyTo',
    'destination',
    'name',
    'fromName',
    'title',
    'organisation',
    'salutation',
    'ip',
    'ipAddress',
    'sourceIp',
    'userAgent',
    'user-agent',
    'text',
    'html',
    'body',
    'subject',
    'diagnosticCode',
    'diagnostic',
    'bouncedRecipients',
    'complainedRecipients',
    'fallbackEmails',
    'recipients',
  ].map((f) => f.toLowerCase()),
);

const ADDRESS = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi;

/** A string with every address and IP address replaced. */
export function redactText(s: string): string {
  return s.replace(ADDRESS, '[address]').replace(IPV4, '[ip]').replace(IPV6, '[ip]');
}

/** A log value with personal fields and anything address-like replaced, to any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      PERSONAL_FIELDS.has(k.toLowerCase()) && v !== undefined ? '[redacted]' : redact(v, depth + 1),
    ]),
  );
}

/** Powertools' structure (level, message, timestamp, service …) with the policy applied. */
export class RedactingFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, extra: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: redactText(attributes.message),
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: attributes.lambdaContext?.coldStart,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
      },
    }).addAttributes(redact(extra) as LogAttributes);
  }

  override formatError(error: Error): LogAttributes {
    // The error's name and where it was thrown stay; its message and stack are redacted.
    const f = super.formatError(error);
    return {
      ...f,
      ...(typeof f.message === 'string' ? { message: redactText(f.message) } : {}),
      ...(typeof f.stack === 'string' ? { stack: redactText(f.stack) } : {}),
    };
  }
}

/** One structured logger per function (Powertools); quiet locally unless DEMARCHE_LOG_LEVEL says otherwise. */
export function logger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    logFormatter: new RedactingFormatter(),
    logLevel: (process.env.DEMARCHE_LOG_LEVEL ??
      (process.env.AWS_LAMBDA_FUNCTION_NAME ? 'INFO' : 'WARN')) as 'INFO',
  });
}
