import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type NextServer,
  startNext,
} from '../../../tests/frameworks/src/test-support/next-server.js'
import { launchChromium } from '../../vite-app/e2e/browser.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const cliPath = fileURLToPath(
  new URL('../../../packages/license-server/bin/licensekit-server.js', import.meta.url),
)
const SECRET = 'next-e2e-secret-that-is-long-enough-0123'
const PASSWORD = 'next-e2e-admin-password'
const FEATURE = '[data-licensed-feature="forecast"]'
const PENDING = '[data-license-pending]'

declare global {
  interface Window {
    /** Set by the init script once a loading placeholder was in the DOM, even briefly. */
    __pendingSeen?: boolean
  }
}

let dir: string
let dbPath: string
let licenseServer: LicenseServer
let next: NextServer
let browser: Browser
let context: BrowserContext
let page: Page
let key: string
const consoleLines: string[] = []

const url = (path: string) => `${next.origin}${path}`
/**
 * The elements of the server HTML, as a browser without JavaScript shows them: the scripts,
 * which carry the RSC payload with every branch's props, are dropped.
 */
const renderedHtml = async (path: string) =>
  (await (await fetch(url(path))).text()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')

/** Records whether a loading placeholder ever entered the DOM, from the first parsed byte on. */
async function recordLoadingPlaceholders(target: BrowserContext): Promise<void> {
  await target.addInitScript((selector) => {
    window.__pendingSeen = false
    const check = () => {
      if (document.querySelector(selector) !== null) window.__pendingSeen = true
    }
    new MutationObserver(check).observe(document, { childList: true, subtree: true })
  }, PENDING)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licensekit-next-e2e-'))
  dbPath = join(dir, 'licenses.db')
  licenseServer = createLicenseServer({ db: dbPath, secret: SECRET, log: false })
  const { apiBase } = await licenseServer.listen({ port: 0, host: '127.0.0.1' })
  key = licenseServer.store.issue({ prefix: 'SHOP', limit: 3 })[0] ?? ''
  next = await startNext({
    appDir,
    command: 'start',
    readyPath: '/api/license/validate',
    env: {
      ECOSIRE_LICENSE_SECRET: SECRET,
      LICENSEKIT_UPSTREAM: apiBase,
      LICENSEKIT_DOMAIN: '127.0.0.1',
      LICENSEKIT_KEY_FILE: join(dir, 'installation-key.json'),
      LICENSEKIT_ADMIN_PASSWORD: PASSWORD,
    },
  })
  browser = await launchChromium()
  context = await browser.newContext()
  await recordLoadingPlaceholders(context)
  page = await context.newPage()
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`))
  page.on('dialog', (dialog) => void dialog.accept())
})

afterAll(async () => {
  await browser?.close()
  await next?.stop()
  await licenseServer?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('examples/next-app at http://127.0.0.1 (next start, Chromium)', () => {
  it('a fresh install renders the upsell on the server and refuses activation without the admin', async () => {
    const body = await renderedHtml('/')
    expect(body).toContain('<aside data-upsell="forecast"')
    expect(body).not.toContain('<section data-licensed-feature')

    const activation = await fetch(url('/api/license/activate'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: next.origin },
      body: JSON.stringify({ key }),
    })
    expect(activation.status).toBe(403)
    expect(((await activation.json()) as { error: { code: string } }).error.code).toBe('forbidden')
  })

  it('activates a key on the settings page, and the feature shows', async () => {
    await page.goto(url('/settings'))
    const status = page.getByRole('status', { name: 'License status' })
    await expect.poll(() => status.textContent()).toBe('This installation has no license yet.')

    await page.getByLabel('Admin password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByLabel('License key').fill(key)
    await page.getByRole('button', { name: 'Activate' }).click()
    await expect.poll(() => status.textContent()).toMatch(/^Licensed with SHOP-\*{4}/)

    await page.getByRole('link', { name: 'Dashboard' }).click()
    await page.locator(FEATURE).waitFor()
    expect(await page.locator('[data-upsell]').count()).toBe(0)
  })

  it('after a reload the server HTML is licensed and the page never shows loading', async () => {
    const body = await renderedHtml('/')
    expect(body).toContain('<section data-licensed-feature="forecast"')
    expect(body).not.toContain('<p data-license-pending')

    await page.reload({ waitUntil: 'networkidle' })
    expect(await page.locator(FEATURE).isVisible()).toBe(true)
    expect(await page.evaluate(() => window.__pendingSeen)).toBe(false)
  })

  it('logged no hydration warning or error', async () => {
    await page.evaluate(() => console.info('console probe'))
    await expect.poll(() => consoleLines).toContain('info: console probe')
    const hydration = consoleLines.filter((line) =>
      /hydrat|did not match|Minified React error #(418|423|425)|pageerror/i.test(line),
    )
    expect(hydration).toEqual([])
  })

  it('a revoked key locks the feature on the next load, saying it was revoked', async () => {
    await promisify(execFile)(process.execPath, [cliPath, 'revoke', key, '--db', dbPath])

    const body = await renderedHtml('/')
    expect(body).not.toContain('<section data-licensed-feature')
    expect(body).toContain('This license has been revoked')

    await page.reload({ waitUntil: 'networkidle' })
    const upsell = page.locator('[data-upsell="forecast"]')
    expect(await upsell.textContent()).toContain('This license has been revoked')
    expect(await page.locator(FEATURE).count()).toBe(0)
    expect(await page.evaluate(() => window.__pendingSeen)).toBe(false)
  })

  it('replaces the revoked key with a new one, then removes it', async () => {
    const replacement = licenseServer.store.issue({ prefix: 'SHOP', limit: 1 })[0] ?? ''
    await page.goto(url('/settings'))
    const status = page.getByRole('status', { name: 'License status' })
    expect(await status.textContent()).toContain('This license has been revoked')
    await page.getByLabel('License key').fill(replacement)
    await page.getByRole('button', { name: 'Activate' }).click()
    await expect.poll(() => status.textContent()).toMatch(/^Licensed with SHOP-\*{4}/)
    expect(licenseServer.store.get(replacement)?.domains).toEqual(['127.0.0.1'])

    await page.getByRole('button', { name: 'Remove license' }).click()
    await expect.poll(() => status.textContent()).toBe('This installation has no license yet.')
    expect(licenseServer.store.get(replacement)?.domains).toEqual([])
    const body = await renderedHtml('/')
    expect(body).toContain('<aside data-upsell="forecast"')
    expect(body).not.toContain('revoked')
  })
})
