// The demo as the Chromium benches run it: `vite build` of examples/vite-app, an in-memory
// license server on 127.0.0.1, and one key of the demo's format with both Pro features.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createLicenseServer, type LicenseServer } from '../packages/license-server/dist/index.js'

export const appDir = fileURLToPath(new URL('../examples/vite-app/', import.meta.url))
/** The built demo, as `createDemoServer({ distDir })` serves it. */
export const distDir = `${appDir}dist`
/** Long enough that no heartbeat falls inside a bench. */
export const DAY_MS = 24 * 60 * 60 * 1000

/**
 * `vite build` of the demo into `outDir` (default `dist`, what `distDir` names), with `env` added
 * to the environment (e.g. a `VITE_` variable the demo reads at build time).
 */
export function buildDemo(outDir = distDir, env: Record<string, string> = {}): void {
  console.log(
    `building the demo (vite build${Object.keys(env).length ? `, ${JSON.stringify(env)}` : ''})…`,
  )
  execFileSync(
    'npx',
    ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: appDir,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  )
}

/** A license server on a free port and one `DEMO-` key (`limit` activations, export + forecast). */
export async function demoLicense(
  secret: string,
  limit: number,
): Promise<{ licenseServer: LicenseServer; apiBase: string; key: string }> {
  const licenseServer = createLicenseServer({ db: ':memory:', secret, log: false })
  const { apiBase } = await licenseServer.listen({ port: 0, host: '127.0.0.1' })
  const [key] = licenseServer.store.issue({
    prefix: 'DEMO',
    limit,
    features: ['export', 'forecast'],
  })
  if (!key) throw new Error('no key issued')
  return { licenseServer, apiBase, key }
}
