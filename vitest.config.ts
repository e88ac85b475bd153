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
        },
      },
    ],
  },
});
