import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.tsbuild/**', '**/build/**'],
    // Two cores: the native kernels already use every thread, so files run in a small pool.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/summaryReporter.ts'],
  },
});
