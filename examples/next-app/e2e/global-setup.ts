import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { nextBin } from '../../../tests/frameworks/src/test-support/next-server.js'
import { CHROMIUM_PATH } from '../../vite-app/e2e/browser.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))

/** `next build` once for every e2e file; the tests run `next start` on the result. */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The e2e tests need Chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium)`,
    )
  }
  const started = Date.now()
  const build = spawn(process.execPath, [nextBin(appDir), 'build'], {
    cwd: appDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    // Vitest sets NODE_ENV=test, which would make a development build of React.
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
  })
  const code = await new Promise<number | null>((resolve) => build.once('exit', resolve))
  if (code !== 0) throw new Error(`next build exited with ${code}`)
  console.log(`next build: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
