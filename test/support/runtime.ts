import { afterAll, beforeAll } from 'vitest';
import {
  startLocalRuntime,
  type LocalRuntime,
  type RuntimeOptions,
} from '../../functions/local/runtime.js';
import { sesStore, type StoredEmail } from '../../functions/local/ses.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Starts one in-memory local runtime for the test file and stops it after. */
export function useRuntime(opts: RuntimeOptions = {}): () => LocalRuntime {
  let runtime: LocalRuntime | undefined;
  beforeAll(async () => {
    // Timeouts and delays shortened alike: a visibility timeout of 0.2 s, a delay of 1 s in 20 ms.
    runtime = await startLocalRuntime({
      ...opts,
      queue: { visibilityTimeoutMs: 200, delayMsPerSecond: 20, ...opts.queue },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return () => {
    if (!runtime) throw new Error('runtime not started');
    return runtime;
  };
}

/** Emails in the SES endpoint's store addressed to any of `addresses`. */
export async function mailsTo(
  runtime: LocalRuntime,
  addresses: Iterable<string>,
): Promise<StoredEmail[]> {
  const wanted = new Set(addresses);
  return (await sesStore(runtime.sesEndpoint)).filter((m) =>
    m.destination.to.some((t) => wanted.has(t)),
  );
}

/** Counts letters per recipient address. */
export function perRecipient(mails: StoredEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of mails)
    for (const to of m.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}
