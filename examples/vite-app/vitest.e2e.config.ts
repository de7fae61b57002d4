import { defineConfig } from 'vitest/config'
import { e2eConfig } from '../../vitest.shared.ts'

/** End-to-end tests of the demo in real Chromium (`pnpm test:e2e` at the root). */
export default defineConfig(
  e2eConfig(new URL('.', import.meta.url), 'vite-app-e2e', 'vitest-e2e.json'),
)
