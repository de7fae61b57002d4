import { describe, expect, it } from 'vitest'
import {
  boundNames,
  DOMAIN,
  enterKey,
  harnessPerFile,
  removeLicense,
  screenshot,
  waitForStatus,
  waitUntil,
} from './harness.js'

const file = harnessPerFile({ binding: 'device' })
/** A fresh browser profile (its own IndexedDB, so its own device id) on /settings. */
const profile = () => file.openSettings()

const DEVICE_NAME = new RegExp(`^[a-z2-7]{26}\\.${DOMAIN}$`)

describe("binding: 'device' in Chromium", () => {
  it('gives each browser profile its own slot: the third of a limit-2 key is refused in words', async () => {
    const key = file.harness.issue(2)
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
    const names = await boundNames(file.harness, key)
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
    const left = await boundNames(file.harness, key)
    expect(left).toHaveLength(1)
    expect(names).toContain(left[0])
    await enterKey(third, key)
    await waitForStatus(third, /\bactive\b/)
  })

  it('keeps the device id across reloads and removals: the profile takes its own slot again', async () => {
    const key = file.harness.issue(1)
    const page = await profile()
    await enterKey(page, key)
    await waitForStatus(page, /\bactive\b/)
    const [name] = await boundNames(file.harness, key)
    await page.reload()
    await waitForStatus(page, /\bactive\b/)
    await removeLicense(page)
    await waitForStatus(page, /unlicensed/)
    expect(await boundNames(file.harness, key)).toEqual([])
    await enterKey(page, key)
    await waitForStatus(page, /\bactive\b/)
    expect(await boundNames(file.harness, key)).toEqual([name])
  })
})
