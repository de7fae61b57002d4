import { createHmac } from 'node:crypto'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  enterKey,
  feature,
  type Harness,
  startHarness,
  upsell,
  WEBHOOK_SECRET,
  waitForStatus,
  waitUntil,
} from './harness.js'

const DAY = 24 * 60 * 60 * 1000
/**
 * How long the test waits for both tabs to lock. A deadline, not a timing goal: how fast the
 * lock is, `pnpm bench:live-lock` measures (BENCHMARKS.md, "Live lock in the browser").
 */
const LOCK_DEADLINE_MS = 20_000

let harness: Harness
const contexts: BrowserContext[] = []

beforeAll(async () => {
  harness = await startHarness({ heartbeatIntervalMs: DAY, liveEvents: true })
})

afterAll(async () => {
  await harness?.close()
})

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

/** Event streams the proxy has opened so far. */
function streamsOpened(): number {
  return harness.exchanges.filter((e) => e.path === '/api/license/events' && e.status === 200)
    .length
}

/** Requests of a profile to the proxy that have not finished, event streams aside. */
function inFlightRequests(context: BrowserContext): { count: number } {
  const counter = { count: 0 }
  const counted = (url: string) => {
    const path = new URL(url).pathname
    return path.startsWith('/api/license/') && path !== '/api/license/events'
  }
  context.on('request', (request) => {
    if (counted(request.url())) counter.count++
  })
  const done = (request: { url(): string }) => {
    if (counted(request.url())) counter.count--
  }
  context.on('requestfinished', done)
  context.on('requestfailed', done)
  return counter
}

/**
 * One browser profile with `key` activated and the dashboard open in `tabs` tabs, once the
 * leader tab's event stream is open and every other request has finished.
 */
async function dashboards(key: string, tabs: number) {
  const context = await harness.newContext()
  contexts.push(context)
  const inFlight = inFlightRequests(context)
  const settings = await context.newPage()
  await settings.goto(harness.url('/settings'))
  await waitForStatus(settings, /unlicensed/)
  await enterKey(settings, key)
  await waitForStatus(settings, /\bactive\b/)
  const opened = streamsOpened()
  const pages: Page[] = []
  for (let index = 0; index < tabs; index++) {
    const page = index === 0 ? settings : await context.newPage()
    await page.goto(harness.url('/'))
    await feature(page, 'forecast').waitFor()
    pages.push(page)
  }
  await waitUntil('the leader tab to open its event stream', () => streamsOpened() > opened)
  await waitUntil('the tabs to settle', () => inFlight.count === 0)
  return { context, pages }
}

async function locked(page: Page): Promise<boolean> {
  const banner = page.locator('[data-banner="denied"]')
  return (
    (await upsell(page, 'forecast').isVisible()) &&
    (await page.locator('[data-licensed-feature]').count()) === 0 &&
    /License revoked/.test((await banner.textContent({ timeout: 100 }).catch(() => '')) ?? '')
  )
}

/** A webhook body as the license server sends it, and its signature under `secret`. */
function signedWebhook(key: string, secret: string, id: string) {
  const body = JSON.stringify({
    id,
    event: 'license.revoked',
    createdAt: new Date().toISOString(),
    data: { licenseKey: key, status: 'revoked' },
  })
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-ecosire-event': 'license.revoked',
      'x-ecosire-delivery': id,
      'x-ecosire-signature': createHmac('sha256', secret).update(body).digest('hex'),
    },
  }
}

describe('live license events in Chromium', () => {
  it('a CLI revocation locks both open tabs, with no click and one validation', async () => {
    const key = harness.issue()
    const { pages } = await dashboards(key, 2)
    const before = harness.validateCount()

    const revoke = await harness.cli('revoke', key)
    expect(revoke.code).toBe(0)
    for (const page of pages) {
      await waitUntil('the tab to show the license revoked', () => locked(page), LOCK_DEADLINE_MS)
    }
    expect(harness.webhooks).toContainEqual(
      expect.objectContaining({ event: 'license.revoked', status: 200 }),
    )

    // Let anything late arrive: still one validation for the browser, from the leader tab.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(harness.validateCount() - before).toBe(1)
    for (const page of pages) expect(await locked(page)).toBe(true)
  })

  it('a forged webhook is refused with 401 and the open tab stays active, unchecked', async () => {
    const key = harness.issue()
    const { pages } = await dashboards(key, 1)
    const before = harness.validateCount()

    const forged = signedWebhook(key, 'not-the-webhook-secret-0123456789', 'forged-1')
    const answer = await harness.postWebhook(forged.body, forged.headers)
    expect(answer.status).toBe(401)

    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(harness.validateCount()).toBe(before)
    const [page] = pages
    if (page === undefined) throw new Error('No tab')
    expect(await feature(page, 'forecast').isVisible()).toBe(true)
    expect(await page.locator('[data-banner]').count()).toBe(0)

    // The same webhook signed with the real secret does reach the tab (the key is still active).
    const genuine = signedWebhook(key, WEBHOOK_SECRET, 'genuine-1')
    expect((await harness.postWebhook(genuine.body, genuine.headers)).status).toBe(200)
    await waitUntil('the tab to check after the genuine webhook', () => {
      return harness.validateCount() === before + 1
    })
    expect(await feature(page, 'forecast').isVisible()).toBe(true)
  })
})
