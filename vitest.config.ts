import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/summaryReporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/ui/**'],
        },
      },
      {
        // The browser tests measure the page's main-thread tasks (at most 200 ms): they run one
        // file at a time, after the rest, so that other tests do not steal the cores.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/ui/**/*.test.ts'],
          fileParallelism: false,
          // What a page shows after a worker's answer can take seconds on a loaded machine:
          // polls wait for it (they pass as soon as it shows) instead of vitest's 1 s.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
