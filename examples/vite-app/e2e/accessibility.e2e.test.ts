import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { harnessPerFile, screenshot, statusRegion, waitForStatus, waitUntil } from './harness.js'

const file = harnessPerFile()
const { openSettings } = file

const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement
    return element === null ? '' : (element.id || element.textContent || '').trim()
  })

/** Presses Tab until `label` has the focus (at most `limit` times); returns how many presses. */
async function tabTo(page: Page, label: string, limit = 25): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab')
    if ((await focused(page)) === label) return presses
  }
  throw new Error(`Tab never reached ${label}`)
}

describe('the settings page with the keyboard only', () => {
  it('has the skip link as the first Tab stop, and it moves to the main content', async () => {
    const page = await openSettings()
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(await focused(page)).toBe('main')
  })

  it('activates, confirms a removal in a dialog, and lands on the key field', async () => {
    const page = await openSettings()
    await tabTo(page, 'license-key')
    await page.keyboard.type(file.harness.issue().toLowerCase())
    await page.keyboard.press('Enter')
    await waitForStatus(page, /\bactive\b/)

    await page.keyboard.press('Shift+Tab')
    await tabTo(page, 'Remove license from this installation')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Remove the license?' })
    await dialog.waitFor()
    expect(await focused(page)).toBe('Cancel')
    expect(await dialog.ariaSnapshot()).toContain('button "Yes, remove it"')
    await screenshot(page, 'remove-dialog')

    await page.keyboard.press('Escape')
    await waitUntil('the dialog to close', async () => !(await dialog.isVisible()))
    expect(await focused(page)).toBe('Remove license from this installation')
    await waitForStatus(page, /\bactive\b/)

    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await page.keyboard.press('Shift+Tab')
    expect(await focused(page)).toBe('Yes, remove it')
    await page.keyboard.press('Enter')
    await waitForStatus(page, /unlicensed/)
    await waitUntil(
      'the focus on the key field',
      async () => (await focused(page)) === 'license-key',
    )
  })
})

describe('the accessibility tree', () => {
  it('has one live region for the status, named, with the notice inside it', async () => {
    const page = await openSettings()
    expect(await page.locator('[role="status"], [aria-live]').count()).toBe(2) // status + field
    const snapshot = await page.locator('main').ariaSnapshot()
    expect(snapshot).toContain('status "License status"')
    expect(snapshot).toContain('textbox "License key"')
    expect(snapshot).toContain('button "Activate"')
    expect(snapshot).toContain('link "Contact support"')

    await page.getByRole('button', { name: 'Check now' }).click()
    await waitUntil('the check notice', async () =>
      /Checked just now/.test((await statusRegion(page).textContent()) ?? ''),
    )
    const region = await statusRegion(page).ariaSnapshot()
    expect(region.match(/Checked just now/g)).toHaveLength(1)
    expect(region).toContain('unlicensed')
  })

  it('shows a refused key only at the field, and the page tree keeps no alert', async () => {
    const page = await openSettings()
    await page.getByLabel('License key').fill('demo-aaaa-bbbb-cccc-dddd')
    await page.getByRole('button', { name: 'Activate' }).click()
    const field = page.locator('.key-form [role="status"]')
    await waitUntil('the field error', async () =>
      /Unknown license key/.test((await field.textContent()) ?? ''),
    )
    const snapshot = await page.locator('body').ariaSnapshot()
    expect(snapshot.match(/Unknown license key/g)).toHaveLength(1)
    expect(snapshot).not.toContain('alert')
    expect(
      await page.getByRole('textbox', { name: 'License key' }).getAttribute('aria-invalid'),
    ).toBe('true')
  })
})
