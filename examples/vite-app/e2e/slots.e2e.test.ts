import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  boundNames,
  DOMAIN,
  enterKey,
  harnessPerFile,
  removeLicense,
  screenshot,
  statusRegion,
  waitForStatus,
  waitUntil,
} from './harness.js'

const file = harnessPerFile()
const { openSettings } = file

async function activated(key: string): Promise<Page> {
  const page = await openSettings()
  await enterKey(page, key)
  await waitForStatus(page, /\bactive\b/)
  return page
}

const fieldMessage = (page: Page) => page.locator('.key-form [role="status"]')
const notice = (page: Page) => statusRegion(page).locator('.notice')

/** How many times `text` appears in the page's visible text. */
async function occurrences(page: Page, text: RegExp): Promise<number> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a customer reads
  const body = (await page.locator('body').innerText()).toLowerCase()
  return body.split(new RegExp(text.source, 'gi')).length - 1
}

describe('activation slots in the demo, in Chromium', () => {
  it('explains the first run, and a typo is a field error only, shown once', async () => {
    const page = await openSettings()
    const first = await statusRegion(page).textContent()
    expect(first).toMatch(/unlicensed\s*Not licensed yet\. Enter the license key/)
    expect(await page.locator('.chip--denied, [data-banner]').count()).toBe(0)
    await screenshot(page, 'first-run')

    await enterKey(page, 'demo-aaaa-bbbb-cccc-dddd')
    await waitUntil('the field error', async () =>
      /Unknown license key\./.test((await fieldMessage(page).textContent()) ?? ''),
    )
    expect(await page.getByLabel('License key').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('[data-banner]').count()).toBe(0)
    expect(await page.locator('.chip--denied').count()).toBe(0)
    expect(await statusRegion(page).textContent()).toBe(first)
    expect(await occurrences(page, /unknown license key/)).toBe(1)
    expect(await occurrences(page, /no license exists with this key/)).toBe(1)
    await screenshot(page, 'typo-field-error')
  })

  it('words a malformed key with the DEMO- prefix', async () => {
    const page = await openSettings()
    await enterKey(page, 'demo-12')
    await waitUntil('the format error', async () =>
      /DEMO-XXXX-XXXX-XXXX-XXXX/.test((await fieldMessage(page).textContent()) ?? ''),
    )
    expect(await fieldMessage(page).textContent()).not.toMatch(/SHOP-/)
  })

  it('says "activation limit reached" once for the seeded limit-1 demo key', async () => {
    const seeded = await file.harness.seedDemo()
    const key = seeded.find((license) => license.label === 'active-limit-1')?.key ?? ''
    const page = await openSettings()
    await enterKey(page, key)
    await waitUntil('the activation error', async () =>
      /Activation limit reached\./.test((await fieldMessage(page).textContent()) ?? ''),
    )
    expect(await occurrences(page, /activation limit reached/)).toBe(1)
    expect(await page.locator('[data-banner]').count()).toBe(0)
    expect(await boundNames(file.harness, key)).toEqual(['other-shop.example'])
    await screenshot(page, 'limit-1-demo-key')
  })

  it('switching keys frees the old key on this site only after the new one is active', async () => {
    const old = file.harness.issue(1)
    const next = file.harness.issue(1)
    const page = await activated(old)
    expect(await boundNames(file.harness, old)).toEqual([DOMAIN])

    await enterKey(page, 'DEMO-2222-3333-4444-5555')
    await waitUntil('the refused switch', async () =>
      /Unknown license key/.test((await fieldMessage(page).textContent()) ?? ''),
    )
    expect(await boundNames(file.harness, old)).toEqual([DOMAIN])
    expect(await statusRegion(page).textContent()).toMatch(/\bactive\b/)

    await enterKey(page, next)
    await waitUntil(
      'the old slot to be freed',
      async () => (await boundNames(file.harness, old)).length === 0,
    )
    expect(await boundNames(file.harness, next)).toEqual([DOMAIN])
    expect(await page.locator('.details').textContent()).toContain(next.slice(-4))
    await screenshot(page, 'key-switched')
  })

  it('an offline removal says queued, and frees the slot once the proxy is back', async () => {
    const key = file.harness.issue(1)
    const page = await activated(key)
    await page.route('**/api/license/**', (route) => route.abort('internetdisconnected'))
    await removeLicense(page)
    await waitUntil('the queued notice', async () =>
      /queued: it will be released when you are back online/.test(
        (await notice(page).textContent()) ?? '',
      ),
    )
    expect(await notice(page).textContent()).not.toMatch(/is free/)
    expect(await page.locator('[data-field="pending"]').textContent()).toMatch(
      /^1 activation slot waiting to be released/,
    )
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('license-key')
    expect(await boundNames(file.harness, key)).toEqual([DOMAIN])
    await screenshot(page, 'removal-queued')

    await page.reload()
    await waitForStatus(page, /unlicensed/)
    expect(await page.locator('[data-field="pending"]').count()).toBe(1)
    await page.unroute('**/api/license/**')
    await page.getByRole('button', { name: 'Check now' }).click()
    await waitUntil(
      'the slot to be freed',
      async () => (await boundNames(file.harness, key)).length === 0,
    )
    await waitUntil(
      'the pending line to go',
      async () => (await page.locator('[data-field="pending"]').count()) === 0,
    )
  })

  it('a removal online says the slot is free; not held when the API had none', async () => {
    const key = file.harness.issue(1)
    const page = await activated(key)
    await file.harness.licenseServer.store.deactivate(key, DOMAIN)
    await removeLicense(page)
    await waitUntil('the not-held notice', async () =>
      /held no activation slot/.test((await notice(page).textContent()) ?? ''),
    )
    await screenshot(page, 'removal-not-held')
    const other = await activated(file.harness.issue(1))
    await removeLicense(other)
    await waitUntil('the freed notice', async () =>
      /slot is free/.test((await notice(other).textContent()) ?? ''),
    )
    await screenshot(other, 'removal-freed')
  })

  it('"Check now" says that it checked', async () => {
    const page = await activated(file.harness.issue())
    await page.getByRole('button', { name: 'Check now' }).click()
    await waitUntil(
      'the check notice',
      async () => (await notice(page).textContent()) === 'Checked just now — still active.',
    )
    await screenshot(page, 'checked-now')
  })

  it('shows the grace banner on load when the proxy cannot be reached', async () => {
    const page = await activated(file.harness.issue())
    await page.route('**/api/license/**', (route) => route.abort('internetdisconnected'))
    await page.reload()
    await page.locator('[data-banner="grace"]').waitFor()
    expect(await statusRegion(page).textContent()).toMatch(/\bgrace\b/)
    await screenshot(page, 'grace-on-load')
  })

  it('shows an expired license with its date', async () => {
    const expiresAt = new Date(Date.now() + 5000).toISOString()
    const [key = ''] = file.harness.licenseServer.store.issue({
      prefix: 'DEMO',
      limit: 3,
      expiresAt,
    })
    const page = await activated(key)
    await waitUntil('the license to expire', () => Date.now() > Date.parse(expiresAt) + 500)
    await page.getByRole('button', { name: 'Check now' }).click()
    await waitForStatus(page, /\bdenied\b/)
    expect(await statusRegion(page).textContent()).toMatch(
      /Expired on [A-Z][a-z]{2} \d{1,2}, \d{4}\./,
    )
    expect(await page.locator('[data-banner="denied"] a[href^="mailto:"]').count()).toBe(1)
    await screenshot(page, 'expired')
  })
})
