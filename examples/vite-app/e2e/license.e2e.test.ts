import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page, Response } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  artifactsDir,
  DOMAIN,
  enterKey,
  feature,
  type Harness,
  removeLicense,
  startHarness,
  statusRegion,
  upsell,
  waitForStatus,
  waitUntil,
} from './harness.js'

let harness: Harness
const contexts: BrowserContext[] = []

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness?.close()
})

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

/** What each page logged as an error, from its first load. */
const pageErrors = new WeakMap<Page, string[]>()

async function openSettings(): Promise<Page> {
  const context = await harness.newContext()
  contexts.push(context)
  const page = await context.newPage()
  const errors: string[] = []
  pageErrors.set(page, errors)
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(harness.url('/settings'))
  await waitForStatus(page, /unlicensed|active|grace|denied/)
  return page
}

/** A page on /settings with `key` activated (typed in lower case without dashes). */
async function activated(key: string): Promise<Page> {
  const page = await openSettings()
  await enterKey(page, key.toLowerCase().replaceAll('-', ''))
  await waitForStatus(page, /\bactive\b/)
  return page
}

/** The `Authorization` header of the page's next request to `path`. */
async function nextAuthorization(page: Page, path: string): Promise<string | null> {
  const request = await page.waitForRequest((r) => new URL(r.url()).pathname === path)
  return request.headerValue('authorization')
}

/** GETs `path` from inside the page with `authorization` (none when null): status and error code. */
function requestFromPage(page: Page, path: string, authorization: string | null) {
  return page.evaluate(
    async ([path, authorization]) => {
      const response = await fetch(path, authorization ? { headers: { authorization } } : {})
      const json = response.headers.get('content-type')?.includes('json')
      const body = json ? ((await response.json()) as { error?: { code?: string } }) : null
      return { status: response.status, code: body?.error?.code ?? null }
    },
    [path, authorization] as const,
  )
}

async function forecastReady(page: Page): Promise<void> {
  await waitUntil(
    'the forecast from the premium API',
    async () => (await feature(page, 'forecast').getAttribute('data-forecast')) === 'ready',
  )
}

async function showDashboard(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Dashboard' })
    .click()
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
}

describe('the demo app in Chromium', () => {
  it('unlocks the features for a demo key typed in lower case without dashes', async () => {
    const key = harness.issue()
    const page = await openSettings()
    expect(await upsell(page, 'forecast').count()).toBe(0) // not on the settings page
    expect(await statusRegion(page).textContent()).toMatch(/unlicensed/)

    await enterKey(page, key.toLowerCase().replaceAll('-', ''))
    const status = await waitForStatus(page, /\bactive\b/)
    expect(status).toMatch(/valid/)
    const details = page.locator('.details')
    expect(await details.locator('[data-field="slots"]').textContent()).toBe('1 of 3 used')
    expect(await details.locator('[data-field="expires"]').textContent()).toBe('Never')
    expect(await details.textContent()).toContain(
      `${key.slice(0, 4)}-****-****-****-${key.slice(-4)}`,
    )
    await page.screenshot({ path: join(artifactsDir, 'settings-active.png'), fullPage: true })

    await showDashboard(page)
    await feature(page, 'forecast').waitFor()
    await feature(page, 'export').waitFor()
    expect(await upsell(page, 'forecast').count()).toBe(0)
    expect(await upsell(page, 'export').count()).toBe(0)
    await feature(page, 'forecast').screenshot({ path: join(artifactsDir, 'feature-forecast.png') })
    // Nothing was logged as an error (a CSP violation, an exception) on the way.
    expect(pageErrors.get(page)).toEqual([])
  })

  it('shows the upsell without a license, and the keyboard reaches the key field', async () => {
    const page = await openSettings()
    await showDashboard(page)
    await upsell(page, 'forecast').waitFor()
    await upsell(page, 'export').waitFor()
    expect(await page.locator('[data-licensed-feature]').count()).toBe(0)
    await page.screenshot({ path: join(artifactsDir, 'dashboard-upsell.png'), fullPage: true })

    await page.goto(harness.url('/settings'))
    const input = page.getByLabel('License key')
    await input.waitFor()
    for (
      let tab = 0;
      tab < 20 && !(await input.evaluate((el) => el === document.activeElement));
      tab++
    ) {
      await page.keyboard.press('Tab')
    }
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Activate')
  })

  it('shows the features from the cache before a delayed validation returns', async () => {
    const context = await harness.newContext()
    contexts.push(context)
    await context.clock.install()
    const page = await context.newPage()
    await page.goto(harness.url('/settings'))
    await enterKey(page, harness.issue())
    await waitForStatus(page, /\bactive\b/)
    await showDashboard(page)
    await feature(page, 'forecast').waitFor()
    // Make the saved answer older than the heartbeat interval, so the reload has to validate:
    // hidden, the tab runs no timer while the clocks jump.
    await page.evaluate(() => window.__setVisibility?.('hidden'))
    const ahead = 2 * harness.demo.clientConfig.heartbeatIntervalMs
    harness.advanceServerClock(ahead)
    await context.clock.setSystemTime(Date.now() + ahead)

    let delayed = 0
    await page.route('**/api/license/validate', async (route) => {
      delayed++
      await new Promise((resolve) => setTimeout(resolve, 2000))
      await route.continue()
    })
    const before = harness.validateCount()
    await page.reload()
    await feature(page, 'forecast').waitFor()
    await feature(page, 'export').waitFor()
    // Visible, while the validation the reload started is held back before the proxy.
    await waitUntil('the validation to be intercepted', () => delayed === 1)
    expect(harness.validateCount()).toBe(before)
    await waitUntil(
      'the delayed validation to reach the proxy',
      () => harness.validateCount() > before,
    )
    expect(await feature(page, 'forecast').isVisible()).toBe(true)
    await context.close()
    harness.advanceServerClock(-ahead)
  })

  it('keeps the features in grace, with a banner, when the proxy cannot be reached', async () => {
    const page = await activated(harness.issue())
    await page.route('**/api/license/**', (route) => route.abort('internetdisconnected'))
    await page.getByRole('button', { name: 'Check now' }).click()

    const status = await waitForStatus(page, /\bgrace\b/)
    expect(status).toMatch(/offline — \d+ days? left/)
    const banner = page.locator('[data-banner="grace"]')
    await banner.waitFor()
    expect(await banner.textContent()).toMatch(/Offline — 7 days left/)
    await page.screenshot({ path: join(artifactsDir, 'settings-grace.png'), fullPage: true })

    await showDashboard(page)
    await feature(page, 'forecast').waitFor()
    await feature(page, 'export').waitFor()
    expect(await banner.isVisible()).toBe(true)
  })

  it('locks the features and says "revoked" after the CLI revokes the key', async () => {
    const key = harness.issue()
    const page = await activated(key)
    const revoke = await harness.cli('revoke', key)
    expect(revoke.code).toBe(0)

    await page.getByRole('button', { name: 'Check now' }).click()
    const status = await waitForStatus(page, /\bdenied\b/)
    expect(status).toMatch(/Revoked\. This license has been revoked/)
    const banner = page.locator('[data-banner="denied"]')
    await banner.waitFor()
    expect(await banner.textContent()).toMatch(/License revoked/)
    await page.screenshot({ path: join(artifactsDir, 'settings-revoked.png'), fullPage: true })

    await showDashboard(page)
    await upsell(page, 'forecast').waitFor()
    await upsell(page, 'export').waitFor()
    expect(await page.locator('[data-licensed-feature]').count()).toBe(0)
  })

  it('says "activation limit reached" for the seeded limit-1 demo key, held by another site', async () => {
    const seeded = await harness.seedDemo()
    const demo = seeded.find((license) => license.label === 'active-limit-1')
    expect(demo?.activatedOn).toEqual(['other-shop.example'])
    const key = demo?.key ?? ''
    const page = await openSettings()
    await enterKey(page, key)

    const message = page.locator('.key-form [role="status"]')
    await waitUntil('the activation error', async () =>
      /activation limit reached/i.test((await message.textContent()) ?? ''),
    )
    expect(await page.getByLabel('License key').getAttribute('aria-invalid')).toBe('true')
    expect(await statusRegion(page).textContent()).not.toMatch(/\bactive\b/)
    await page.screenshot({
      path: join(artifactsDir, 'settings-limit-reached.png'),
      fullPage: true,
    })
    const shown = JSON.parse((await harness.cli('show', key, '--json')).stdout) as {
      domains: string[]
    }
    expect(shown.domains).toEqual(['other-shop.example'])
    await showDashboard(page)
    await upsell(page, 'forecast').waitFor()
    expect(await page.locator('[data-licensed-feature]').count()).toBe(0)
  })

  it('frees the activation slot with "Remove license from this installation"', async () => {
    const key = harness.issue(1)
    const page = await activated(key)
    const before = JSON.parse((await harness.cli('show', key, '--json')).stdout) as {
      domains: string[]
    }
    expect(before.domains).toEqual([DOMAIN])

    await removeLicense(page)
    await waitForStatus(page, /unlicensed/)
    const after = await harness.cli('show', key, '--json')
    expect(after.code).toBe(0)
    expect((JSON.parse(after.stdout) as { domains: string[] }).domains).toEqual([])
    expect(await page.locator('.notice').textContent()).toMatch(/slot is free/)

    // The slot is free for another installation: the limit-1 key activates again.
    await enterKey(page, key)
    await waitForStatus(page, /\bactive\b/)
  })
})

describe('the premium API behind the license guard, from the demo in Chromium', () => {
  it('downloads "Export CSV" from the guarded route, sending the license token', async () => {
    const page = await activated(harness.issue())
    const forecastAuthorization = nextAuthorization(page, '/api/premium/forecast')
    await showDashboard(page)
    const token = await forecastAuthorization
    expect(token).toMatch(/^License [\w-]+\.[\w-]+\.[\w-]+$/)
    await forecastReady(page)
    expect(await feature(page, 'forecast').textContent()).toMatch(/Forecast for June: \$68k/)

    const exportAuthorization = nextAuthorization(page, '/api/premium/export.csv')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('northwind-report.csv')
    const csv = readFileSync(await download.path(), 'utf8')
    expect(csv.split('\n')[0]).toBe('month,orders,revenue_usd')
    expect(await exportAuthorization).toBe(token)
    await waitUntil('the export to be reported', async () =>
      /downloaded/.test((await feature(page, 'export').textContent()) ?? ''),
    )
    expect(pageErrors.get(page)).toEqual([])
    expect(await requestFromPage(page, '/api/premium/export.csv', null)).toEqual({
      status: 401,
      code: 'license_required',
    })
  })

  it('refuses the export of a revoked license once it is checked: the proxy gives no token', async () => {
    const context = await harness.newContext()
    contexts.push(context)
    await context.clock.install()
    const page = await context.newPage()
    await page.goto(harness.url('/settings'))
    const key = harness.issue()
    await enterKey(page, key)
    await waitForStatus(page, /\bactive\b/)
    await showDashboard(page)
    await feature(page, 'export').waitFor()
    expect((await harness.cli('revoke', key)).code).toBe(0)

    // 13 hours on, the token is past half its lifetime: client.fetch validates before sending.
    // Hidden, the tab runs no heartbeat while the clocks jump, so that check is the fetch's own.
    await page.evaluate(() => window.__setVisibility?.('hidden'))
    const ahead = 13 * 60 * 60 * 1000
    harness.advanceServerClock(ahead)
    try {
      await context.clock.setSystemTime(Date.now() + ahead)
      const before = harness.validateCount()
      const exports: Response[] = []
      page.on('response', (response) => {
        if (new URL(response.url()).pathname === '/api/premium/export.csv') exports.push(response)
      })
      await page.getByRole('button', { name: 'Export CSV' }).click()
      await waitUntil('the export request', () => exports.length === 1)
      const [response] = exports
      expect(response?.status()).toBe(401)
      expect(response?.request().headers().authorization).toBeUndefined()
      expect(harness.validateCount()).toBe(before + 1)
      await upsell(page, 'export').waitFor()
      expect(await page.locator('[data-licensed-feature]').count()).toBe(0)
    } finally {
      harness.advanceServerClock(-ahead)
    }
  })

  it('shows the forecast but the export upsell for "Pro without export", whose token the export route refuses', async () => {
    const seeded = await harness.seedDemo()
    const key = seeded.find((license) => license.label === 'pro-without-export')?.key ?? ''
    const page = await activated(key)
    const forecastAuthorization = nextAuthorization(page, '/api/premium/forecast')
    await showDashboard(page)
    const token = await forecastAuthorization
    await forecastReady(page)
    await upsell(page, 'export').waitFor()
    expect(await feature(page, 'export').count()).toBe(0)
    expect(await upsell(page, 'export').textContent()).toMatch(
      /Your plan does not include csv export/,
    )
    expect(await requestFromPage(page, '/api/premium/export.csv', token)).toEqual({
      status: 403,
      code: 'license_invalid',
    })
    expect(await requestFromPage(page, '/api/premium/forecast', token)).toEqual({
      status: 200,
      code: null,
    })
    await page.screenshot({ path: join(artifactsDir, 'dashboard-pro-without-export.png') })
  })
})
