/**
 * `demarche rotate-key` as a person runs it, through the local staff API: a
 * new current key with the old one kept, the current key refused for
 * retirement with the reason, and `--list` naming who rotated.
 */
import { describe, expect, it } from 'vitest';
import { demarcheCli } from '../../support/cli.js';

const { run: demarche } = demarcheCli('demarche-keys-cli-');

// Each command boots its own local runtime (a DynamoDB Local JVM among it): minutes on a busy machine.
describe('demarche rotate-key', { timeout: 900_000 }, () => {
  it('rotates, refuses to retire the current key, and lists who did it', () => {
    const rotated = demarche('--as', 'kim', 'rotate-key');
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('New current key k1');
    expect(rotated.stdout).toMatch(/k0 {2}previous \(verifies only\)/);
    expect(rotated.stdout).toContain('`demarche rotate-key --retire k0`');

    const refused = demarche('--as', 'kim', 'rotate-key', '--retire', 'k1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('k1 is the current key: rotate first');

    const listed = demarche('--as', 'lea', 'rotate-key', '--list', '--json');
    expect(listed.code).toBe(0);
    const out = JSON.parse(listed.stdout) as {
      ring: { current: string };
      audit: { actor: string; action: string }[];
    };
    expect(out.ring.current).toBe('k1');
    expect(out.audit).toEqual([
      expect.objectContaining({ actor: 'local:kim', action: 'key-rotated' }),
    ]);
    expect(listed.stdout).not.toMatch(/"secret"|"lookup"/);
  });
});
