/** Helpers shared by bench cases: a local runtime, synthetic recipients and timing. */
import { performance } from 'node:perf_hooks';
import type { Recipient } from '../functions/core/recipients.js';
import { recipientId } from '../functions/core/recipients.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Synthetic recipients, as an iterator so that large lists are never held whole. */
export function* syntheticRecipients(n: number, prefix = 'bench'): Generator<Recipient> {
  const groups = ['minister', 'eu-institution', 'ngo'] as const;
  const countries = ['FR', 'DE', 'PL', 'ES', 'SE', 'IT', 'BE', 'NL'];
  for (let i = 0; i < n; i++) {
    const email = `${prefix}${i}@example.org`;
    yield {
      id: recipientId(email),
      email,
      name: `Recipient Numéro ${i}`,
      title: 'Minister',
      organisation: `Ministry of Foreign Affairs ${i}`,
      country: countries[i % countries.length]!,
      language: 'en',
      group: groups[i % 3]!,
    };
  }
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
