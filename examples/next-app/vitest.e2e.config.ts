import { defineConfig } from 'vitest/config'
import { e2eConfig } from '../../vitest.shared.ts'

/** End-to-end tests in real Chromium against `next build` + `next start` (`pnpm test:e2e`). */
export default defineConfig(
  e2eConfig(new URL('.', import.meta.url), 'next-app-e2e', 'vitest-e2e-next.json'),
)
