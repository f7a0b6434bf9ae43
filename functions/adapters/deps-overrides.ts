/**
 * The replacements the local runtime and the tests wire in (the local queue,
 * a test clock, a store): one set, read by every dependency builder, the full
 * one (deps.ts) and the public functions' small one (public-deps.ts), so a
 * replacement reaches every handler whichever builder it uses.
 */
import type { Deps } from './deps.js';

let overrides: Partial<Deps> = {};

/** The current replacements; a new object after every change, so builders can tell theirs is stale. */
export function currentOverrides(): Partial<Deps> {
  return overrides;
}

export function addOverrides(partial: Partial<Deps>): void {
  overrides = { ...overrides, ...partial };
}

export function clearOverrides(): void {
  overrides = {};
}
