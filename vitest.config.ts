import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests each boot their own DynamoDB Local (a JVM); two cores
    // cannot run many of those at once.
    maxWorkers: 2,
    pool: 'forks',
  },
});
