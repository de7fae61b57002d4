import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { workspaceAlias } from '../../vitest.shared.ts'

const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url))

/**
 * End-to-end tests in real Chromium against `next build` + `next start` (`pnpm test:e2e` at the
 * root). Not part of the root `projects`, so `pnpm test` runs on machines without a browser.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: workspaceAlias },
  test: {
    name: 'next-app-e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: `${resultsDir}vitest-e2e-next.json` }]]
      : ['default'],
  },
})
