import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { CHROMIUM_PATH } from './browser.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))

/** Builds the app once for every e2e file (the demo server serves `dist/`). */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The e2e tests need Chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium)`,
    )
  }
  // Vitest sets NODE_ENV=test, which would make a development build of React.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ root: appDir, logLevel: 'warn' })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
}
