import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  boundNames,
  DOMAIN,
  enterKey,
  type Harness,
  removeLicense,
  screenshot,
  startHarness,
  waitForStatus,
  waitUntil,
} from './harness.js'

let harness: Harness
const contexts: BrowserContext[] = []

beforeAll(async () => {
  harness = await startHarness({ binding: 'device' })
})

afterAll(async () => {
  await harness?.close()
})

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

/** A fresh browser profile (its own IndexedDB, so its own device id) on /settings. */
async function profile(): Promise<Page> {
  const context = await harness.newContext()
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(harness.url('/settings'))
  await waitForStatus(page, /unlicensed|active|grace|denied/)
  return page
}

const DEVICE_NAME = new RegExp(`^[a-z2-7]{26}\\.${DOMAIN}$`)

describe("binding: 'device' in Chromium", () => {
  it('gives each browser profile its own slot: the third of a limit-2 key is refused in words', async () => {
    const key = harness.issue(2)
    const first = await profile()
    await enterKey(first, key)
    await waitForStatus(first, /\bactive\b/)
    const second = await profile()
    await enterKey(second, key)
    await waitForStatus(second, /\bactive\b/)
    expect(await second.locator('[data-field="slots"]').textContent()).toBe('2 of 2 used')
    expect(await second.locator('[data-field="binding"]').textContent()).toBe(
      'One per browser profile',
    )
    const names = await boundNames(harness, key)
    expect(names).toHaveLength(2)
    for (const name of names) expect(name).toMatch(DEVICE_NAME)

    const third = await profile()
    await enterKey(third, key)
    const message = third.locator('.key-form [role="status"]')
    await waitUntil('the limit to be reached', async () =>
      /Activation limit reached\./.test((await message.textContent()) ?? ''),
    )
    await screenshot(third, 'device-third-profile-limit')

    // Removing in one profile frees exactly that profile's slot; the third can then activate.
    await removeLicense(first)
    await waitForStatus(first, /unlicensed/)
    const left = await boundNames(harness, key)
    expect(left).toHaveLength(1)
    expect(names).toContain(left[0])
    await enterKey(third, key)
    await waitForStatus(third, /\bactive\b/)
  })

  it('keeps the device id across reloads and removals: the profile takes its own slot again', async () => {
    const key = harness.issue(1)
    const page = await profile()
    await enterKey(page, key)
    await waitForStatus(page, /\bactive\b/)
    const [name] = await boundNames(harness, key)
    await page.reload()
    await waitForStatus(page, /\bactive\b/)
    await removeLicense(page)
    await waitForStatus(page, /unlicensed/)
    expect(await boundNames(harness, key)).toEqual([])
    await enterKey(page, key)
    await waitForStatus(page, /\bactive\b/)
    expect(await boundNames(harness, key)).toEqual([name])
  })
})
