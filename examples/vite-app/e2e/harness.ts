import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createDemoServer, type DemoServer, type ProxyExchange } from '../server/demo-server.js'
import { addVisibilityControl, launchChromium } from './browser.js'
import { startWebhookRelay, type WebhookRelay } from './webhook-relay.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const cliPath = join(repoRoot, 'packages', 'license-server', 'bin', 'licensekit-server.js')
export const artifactsDir = join(appDir, 'test-results')

const SECRET = 'e2e-secret-that-is-long-enough-0123456789'
/** Signs the license server's webhooks; the demo proxy checks them with it. */
export const WEBHOOK_SECRET = 'e2e-webhook-secret-long-enough-9876543210'
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
  /** With `liveEvents`: the license server's webhooks, as passed on to the demo proxy. */
  webhooks: WebhookRelay['relayed']
  /** POSTs `body` with `headers` to the demo proxy's webhook receiver. */
  postWebhook(body: string, headers: Record<string, string>): Promise<Response>
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
  /**
   * The proxy receives webhooks (`webhookSecret`) and serves `/events`; the license server sends
   * its webhooks to it, as `licensekit-server start --webhook-url` does.
   */
  liveEvents?: boolean
  /** The proxy's and the client's binding (default `'site'`). */
  binding?: 'site' | 'device'
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  mkdirSync(artifactsDir, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'licensekit-e2e-'))
  const dbPath = join(dir, 'licenses.db')
  let offset = 0
  const now = () => Date.now() + offset
  const relay: WebhookRelay | null = options.liveEvents ? await startWebhookRelay() : null
  const licenseServer = createLicenseServer({
    db: dbPath,
    secret: SECRET,
    log: false,
    now,
    ...(relay ? { webhook: { url: relay.url, secret: WEBHOOK_SECRET } } : {}),
  })
  const { apiBase } = await licenseServer.listen()
  const exchanges: ProxyExchange[] = []
  const demo = await createDemoServer({
    ...(relay ? { webhookSecret: WEBHOOK_SECRET } : {}),
    secret: SECRET,
    upstream: apiBase,
    domain: DOMAIN,
    binding: options.binding ?? 'site',
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 60_000,
    distDir: join(appDir, 'dist'),
    onProxyExchange: (exchange) => exchanges.push(exchange),
    now,
  })
  relay?.forwardTo(`${demo.url}/api/license/webhook`)
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
    webhooks: relay?.relayed ?? [],
    postWebhook: (body, headers) =>
      fetch(`${demo.url}/api/license/webhook`, { method: 'POST', headers, body }),
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
      await relay?.close()
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

/** Saves a full-page screenshot as `test-results/screenshots/<name>.png` (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, 'screenshots', `${name}.png`), fullPage: true })
}

/** The bound names `licensekit-server show KEY` lists for `key`. */
export async function boundNames(harness: Harness, key: string): Promise<string[]> {
  const shown = await harness.cli('show', key, '--json')
  if (shown.code !== 0) throw new Error(`show failed: ${shown.stderr}`)
  return (JSON.parse(shown.stdout) as { domains: string[] }).domains
}

/** Presses "Remove license…" and confirms in the dialog. */
export async function removeLicense(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Remove license from this installation' }).click()
  await page.getByRole('dialog', { name: 'Remove the license?' }).waitFor()
  await page.getByRole('button', { name: 'Yes, remove it' }).click()
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

/** One harness per test file, with fresh browser profiles that are closed after each test. */
export interface FileHarness {
  /** The running harness (from `beforeAll` on). */
  readonly harness: Harness
  /** A fresh profile's page on /settings, once its status is known. */
  openSettings(): Promise<Page>
}

/** Starts a harness for the calling test file (`beforeAll`) and stops it after (`afterAll`). */
export function harnessPerFile(options: HarnessOptions = {}): FileHarness {
  let running: Harness | undefined
  const contexts: BrowserContext[] = []
  beforeAll(async () => {
    running = await startHarness(options)
  })
  afterAll(async () => {
    await running?.close()
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })
  const file: FileHarness = {
    get harness() {
      if (running === undefined) throw new Error('The harness starts in beforeAll')
      return running
    },
    openSettings: async () => {
      const context = await file.harness.newContext()
      contexts.push(context)
      const page = await context.newPage()
      await page.goto(file.harness.url('/settings'))
      await waitForStatus(page, /unlicensed|active|grace|denied/)
      return page
    },
  }
  return file
}
