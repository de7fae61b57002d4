import { fileURLToPath } from 'node:url'
import type { ViteUserConfig } from 'vitest/config'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Workspace packages resolve to their sources in tests, so no build is needed to iterate. */
export const workspaceAlias = [
  { find: /^@licensekit\/core\/server$/, replacement: here('./packages/core/src/server/node.ts') },
  { find: /^@licensekit\/core\/vite$/, replacement: here('./packages/core/src/vite/index.ts') },
  { find: /^@licensekit\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@licensekit\/react$/, replacement: here('./packages/react/src/index.ts') },
  {
    find: /^@licensekit\/license-server$/,
    replacement: here('./packages/license-server/src/index.ts'),
  },
]

/**
 * An end-to-end config in real Chromium, for `pnpm test:e2e`: the app at `appDir` (a file URL),
 * its `e2e/**\/*.e2e.test.ts` after `e2e/global-setup.ts`, one file at a time. Not part of the
 * root `projects`, so `pnpm test` runs on machines without a browser.
 */
export function e2eConfig(appDir: URL, name: string, resultsFile: string): ViteUserConfig {
  return {
    root: fileURLToPath(appDir),
    resolve: { alias: workspaceAlias },
    test: {
      name,
      include: ['e2e/**/*.e2e.test.ts'],
      environment: 'node',
      globalSetup: ['e2e/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      fileParallelism: false,
      reporters: process.env.CI
        ? ['default', ['json', { outputFile: here(`./test-results/${resultsFile}`) }]]
        : ['default'],
    },
  }
}
