import { defineProject } from 'vitest/config'
import { workspaceAlias } from '../../vitest.shared.ts'

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'vite-app',
    include: ['src/**/*.test.ts', 'server/**/*.test.ts'],
    // Started by `pnpm test:redis` (vitest.redis.config.ts at the root): they need redis-server.
    exclude: ['**/*.redis.test.ts', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
