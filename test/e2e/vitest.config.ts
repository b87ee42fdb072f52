import { defineConfig } from 'vitest/config';

// End-to-end: the real server over a fresh demo database, driven through Debian's Chromium.
export default defineConfig({
  test: {
    // The web app's pure helpers run here too: the root config covers src/ and test/ only.
    include: ['test/e2e/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One browser at a time: the machine has two cores.
    fileParallelism: false,
  },
});
