/**
 * Metrics through Powertools for AWS Lambda (CloudWatch embedded metric
 * format, written to the function's log) in Lambda; locally an in-memory
 * recorder that tests and the CLI can read, since nothing collects EMF there.
 */
import { Metrics as Powertools, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type MetricName,
  type Metrics,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '../core/metrics.js';

class Buffered {
  counts = new Map<MetricName, number>();
  gauges = new Map<MetricName, { value: number; unit: 'Count' | 'Seconds' }>();

  count(name: MetricName, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }

  gauge(name: MetricName, value: number, unit: 'Count' | 'Seconds'): void {
    this.gauges.set(name, { value, unit });
  }
}

/** Counts summed per flush, so one EMF record carries each metric once per invocation. */
export class PowertoolsMetrics extends Buffered implements Metrics {
  private readonly metrics = new Powertools({
    namespace: METRICS_NAMESPACE,
    serviceName: METRICS_SERVICE,
  });

  flush(): void {
    if (this.counts.size === 0 && this.gauges.size === 0) return;
    for (const [name, n] of this.counts) this.metrics.addMetric(name, MetricUnit.Count, n);
    for (const [name, g] of this.gauges)
      this.metrics.addMetric(
        name,
        g.unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count,
        g.value,
      );
    this.counts.clear();
    this.gauges.clear();
    this.metrics.publishStoredMetrics();
  }
}

/** Keeps every total since it was made: what a local run emitted, for tests and the CLI. */
export class RecordedMetrics extends Buffered implements Metrics {
  readonly totals = new Map<MetricName, number>();
  readonly last = new Map<MetricName, number>();

  flush(): void {
    for (const [name, n] of this.counts) this.totals.set(name, (this.totals.get(name) ?? 0) + n);
    for (const [name, g] of this.gauges) this.last.set(name, g.value);
    this.counts.clear();
    this.gauges.clear();
  }

  total(name: MetricName): number {
    return (this.totals.get(name) ?? 0) + (this.counts.get(name) ?? 0);
  }
}

/** Powertools in Lambda, the recorder elsewhere. */
export function metricsFromEnv(): Metrics {
  return process.env.AWS_LAMBDA_FUNCTION_NAME ? new PowertoolsMetrics() : new RecordedMetrics();
}
