/**
 * The operational metrics demarche emits where the code knows them (the
 * sender, the events function, the scheduler's tick), and the port they go
 * through: Powertools metrics (CloudWatch EMF) in Lambda, an in-memory
 * recorder locally. infra/observability.ts alarms on these names.
 */

/** CloudWatch namespace and the one dimension every demarche metric carries. */
export const METRICS_NAMESPACE = 'demarche';
export const METRICS_SERVICE = 'demarche';

export const METRIC = {
  /** Letters recorded as sent by the sender. */
  lettersSent: 'LettersSent',
  /** Letters SES refused for their recipient (the failed rate's numerator). */
  lettersFailed: 'LettersFailed',
  /** Jobs handed back to the queue with a delay (pacing, throttles): not receive failures. */
  handBacks: 'HandBacks',
  /** Campaigns paused because SES refused to send for a reason of the account. */
  accountPauses: 'SesAccountPauses',
  /** Records a queue handler reported as failed (partial batch failures, not Lambda errors). */
  batchItemFailures: 'BatchItemFailures',
  /** Letters in state `unknown` across campaigns whose deadline has not passed (a gauge, per tick). */
  unknownLetters: 'UnknownLetters',
  /** Seconds until the nearest deadline of a sending campaign (a gauge, per tick). */
  secondsToDeadline: 'SecondsToNearestDeadline',
  /** Opens and clicks a replayed token brought within the dedupe window, not recorded again. */
  trackingRepeats: 'TrackingRepeats',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

export interface Metrics {
  /** Adds `value` to a count (summed until the next flush). */
  count(name: MetricName, value?: number): void;
  /** Records the current value of a gauge (the last one before a flush wins). */
  gauge(name: MetricName, value: number, unit: 'Count' | 'Seconds'): void;
  /** Publishes what was recorded since the last flush; a no-op when nothing was. */
  flush(): void;
}
