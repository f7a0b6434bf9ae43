/** "Did you mean …?": the closest known word to one that is not known. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate nearest to `word` by edit distance, mapped through `to`;
 * undefined when even the nearest differs in more than a third of its letters.
 */
export function closest<T = string>(
  word: string,
  candidates: readonly string[],
  to: (c: string) => T = (c) => c as T,
): T | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const allowed = Math.max(1, Math.floor(Math.max(word.length, best?.length ?? 0) / 3));
  return best !== undefined && bestDistance <= allowed ? to(best) : undefined;
}
