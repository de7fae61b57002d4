import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createDemoServer, type DemoServer, type ProxyExchange } from '../server/demo-server.js'
import { addVisibilityControl, launchChromium } from './browser.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const cliPath = join(repoRoot, 'packages', 'license-server', 'bin', 'licensekit-server.js')
export const artifactsDir = join(appDir, 'test-results')

const SECRET = 'e2e-secret-that-is-long-enough-0123456789'
/** The domain the demo proxy binds activations to. */
export const DOMAIN = 'localhost'

export interface Harness {
  browser: Browser
  demo: DemoServer
  licenseServer: LicenseServer
  dbPath: string
  /** Every exchange the proxy answered, in order. */
  exchanges: ProxyExchange[]
  /** How many `validate` calls reached the proxy so far. */
  validateCount(): number
  /** A new key; `limit` activations (default 3), the Pro entitlements (`export`, `forecast`) by default. */
  issue(limit?: number, features?: string[]): string
  /** The demo keys, seeded by the real CLI's `seed-demo` as `pnpm dev` seeds them. */
  seedDemo(): Promise<DemoKey[]>
  /**
   * Moves the servers' clock forward with the pages' emulated clocks. The client measures the
   * age of its last check against the server's `checkedAt`, so the clocks must agree.
   */
  advanceServerClock(ms: number): void
  /** Runs the real admin CLI against the test database. */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>
  /** A fresh browser profile (its own IndexedDB), with `__setVisibility` installed. */
  newContext(): Promise<BrowserContext>
  url(path: string): string
  close(): Promise<void>
}

/** One key `seed-demo --json` printed. */
export interface DemoKey {
  label: string
  key: string
  status: string
  limit: number
  activatedOn: string[]
}

export interface HarnessOptions {
  heartbeatIntervalMs?: number
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  mkdirSync(artifactsDir, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'licensekit-e2e-'))
  const dbPath = join(dir, 'licenses.db')
  let offset = 0
  const now = () => Date.now() + offset
  const licenseServer = createLicenseServer({ db: dbPath, secret: SECRET, log: false, now })
  const { apiBase } = await licenseServer.listen()
  const exchanges: ProxyExchange[] = []
  const demo = await createDemoServer({
    secret: SECRET,
    upstream: apiBase,
    domain: DOMAIN,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 60_000,
    distDir: join(appDir, 'dist'),
    onProxyExchange: (exchange) => exchanges.push(exchange),
    now,
  })
  const browser = await launchChromium()
  const cli: Harness['cli'] = (...args) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [cliPath, ...args, '--db', dbPath],
        { cwd: repoRoot },
        (error, stdout, stderr) => {
          const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0
          resolve({ code, stdout, stderr })
        },
      )
    })

  return {
    browser,
    demo,
    licenseServer,
    dbPath,
    exchanges,
    validateCount: () => exchanges.filter((e) => e.path === '/api/license/validate').length,
    advanceServerClock: (ms) => {
      offset += ms
    },
    issue: (limit = 3, features = ['export', 'forecast']) =>
      licenseServer.store.issue({ prefix: 'DEMO', limit, features })[0] ?? '',
    cli,
    seedDemo: async () => {
      const seeded = await cli('seed-demo', '--json')
      if (seeded.code !== 0) throw new Error(`seed-demo failed: ${seeded.stderr}`)
      return JSON.parse(seeded.stdout) as DemoKey[]
    },
    newContext: async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
      await addVisibilityControl(context)
      return context
    },
    url: (path) => `${demo.url}${path}`,
    close: async () => {
      await browser.close()
      await demo.close()
      await licenseServer.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Fast-forwards a profile's pages and the servers together, firing the pages' due timers. */
export async function runClocksFor(
  harness: Harness,
  context: BrowserContext,
  ms: number,
): Promise<void> {
  harness.advanceServerClock(ms)
  await context.clock.runFor(ms)
}

/** Polls `condition` until it holds; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The settings page's live status region. */
export function statusRegion(page: Page) {
  return page.getByRole('status', { name: 'License status' })
}

/** Waits until the status region's text matches `pattern`. */
export async function waitForStatus(page: Page, pattern: RegExp): Promise<string> {
  let text = ''
  await waitUntil(`the license status to match ${pattern}`, async () => {
    text = (await statusRegion(page).textContent()) ?? ''
    return pattern.test(text)
  })
  return text
}

/** Types `typed` into the key field on /settings and presses Activate. */
export async function enterKey(page: Page, typed: string): Promise<void> {
  const input = page.getByLabel('License key')
  await input.fill('')
  await input.pressSequentially(typed)
  await page.getByRole('button', { name: 'Activate' }).click()
}

export function feature(page: Page, name: 'forecast' | 'export') {
  return page.locator(`[data-licensed-feature="${name}"]`)
}

export function upsell(page: Page, name: 'forecast' | 'export') {
  return page.locator(`[data-upsell="${name}"]`)
}
