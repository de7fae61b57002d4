import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { workspaceAlias } from './vitest.shared.ts'

const resultsDir = fileURLToPath(new URL('./test-results/', import.meta.url))

/**
 * The tests that start a real `redis-server` (`pnpm test:redis`): `@licensekit/redis` and the
 * demo's Redis wiring. Not part of the root `projects`, so `pnpm test` runs on a machine with
 * only Node and npm; `.ci/run` installs Debian's `redis-server` and runs them.
 */
export default defineConfig({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'redis',
    include: ['packages/redis/src/**/*.test.ts', 'examples/*/server/**/*.redis.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: `${resultsDir}vitest-redis.json` }]]
      : ['default'],
  },
})
