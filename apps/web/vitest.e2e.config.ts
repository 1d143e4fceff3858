import { defineConfig } from 'vitest/config';

/**
 * End-to-end browser tests (`pnpm --filter @ticketing/web run e2e`): the global setup starts a
 * real stack (API + front door serving the built SPA) on a throwaway database; the tests drive
 * Debian's Chromium through playwright-core. Files run one after another (2-core machines).
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['./e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
