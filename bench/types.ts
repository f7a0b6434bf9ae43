/** One line of `npm run bench`: a case, its figures, its goal and whether the goal was met. */
export interface BenchResult {
  name: string;
  figures: Record<string, number | string>;
  goal: string;
  pass: boolean;
}

export type BenchCase = () => Promise<BenchResult | BenchResult[]>;
