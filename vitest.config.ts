import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One DynamoDB Local for the run (test/support/global-dynamo.ts); each
    // runtime still starts its own SES endpoint, HTTP and SMTP servers, and
    // two cores do not carry more than two such files at once.
    globalSetup: ['test/support/global-dynamo.ts'],
    maxWorkers: 2,
    pool: 'forks',
  },
});
