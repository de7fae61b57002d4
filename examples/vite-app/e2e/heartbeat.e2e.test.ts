import type { BrowserContext, Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  enterKey,
  feature,
  type Harness,
  runClocksFor,
  startHarness,
  waitForStatus,
  waitUntil,
} from './harness.js'

/** The shortest heartbeat the client accepts; page clocks are fast-forwarded past it. */
const HEARTBEAT_MS = 60_000
/**
 * Page time advanced per step, shorter than the client's 10 s request timeout: a longer jump
 * would fire the timeout of a request whose (real) answer has not arrived yet.
 */
const STEP_MS = 5000
const INTERVALS = 8

let harness: Harness
const contexts: BrowserContext[] = []

beforeAll(async () => {
  harness = await startHarness({ heartbeatIntervalMs: HEARTBEAT_MS })
})

afterAll(async () => {
  await harness?.close()
})

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()))
})

/** A browser profile with an emulated clock and `key` activated in its first tab. */
async function profileWithKey(key: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await harness.newContext()
  contexts.push(context)
  await context.clock.install()
  const page = await context.newPage()
  await page.goto(harness.url('/settings'))
  await waitForStatus(page, /unlicensed/)
  await enterKey(page, key)
  await waitForStatus(page, /\bactive\b/)
  return { context, page }
}

/**
 * Proxy requests of a profile that have not finished yet. Requests are tracked one by one: a
 * request that started before this was called (the check a page makes when it loads) and ends
 * afterwards is not counted at all, rather than counted down below zero.
 */
function inFlightRequests(context: BrowserContext): { readonly count: number } {
  const open = new Set<Request>()
  const isProxy = (request: Request) => new URL(request.url()).pathname.startsWith('/api/license/')
  context.on('request', (request) => {
    if (isProxy(request)) open.add(request)
  })
  const done = (request: Request) => {
    open.delete(request)
  }
  context.on('requestfinished', done)
  context.on('requestfailed', done)
  return {
    get count() {
      return open.size
    },
  }
}

/** Requests a page made to the proxy. */
function proxyRequests(page: Page): { count: number } {
  const counter = { count: 0 }
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/license/')) counter.count++
  })
  return counter
}

describe('heartbeat across tabs', () => {
  it('sends one validation per interval for two open tabs', async () => {
    const { context, page: first } = await profileWithKey(harness.issue())
    const second = await context.newPage()
    await second.goto(harness.url('/'))
    await feature(second, 'forecast').waitFor()
    await first.goto(harness.url('/'))
    await feature(first, 'forecast').waitFor()
    const inFlight = inFlightRequests(context)
    await waitUntil('both tabs to settle', () => inFlight.count === 0)

    // Eight intervals of page time in 5 s steps, letting each answer arrive before the next.
    const start = harness.validateCount()
    const seenAtStep: number[] = []
    const steps = (INTERVALS * HEARTBEAT_MS) / STEP_MS
    for (let step = 1; step <= steps; step++) {
      await runClocksFor(harness, context, STEP_MS)
      await waitUntil(`step ${step} to settle`, () => inFlight.count === 0)
      const count = harness.validateCount() - start
      while (seenAtStep.length < count) seenAtStep.push(step)
    }
    // One tab checks, every 54–66 s (interval ± 10 %): 7 to 9 checks in 8 intervals, never
    // two within 54 s. Two tabs checking on their own would make about sixteen.
    expect(seenAtStep.length).toBeGreaterThanOrEqual(INTERVALS - 1)
    expect(seenAtStep.length).toBeLessThanOrEqual(INTERVALS + 1)
    for (let index = 1; index < seenAtStep.length; index++) {
      const gapMs = ((seenAtStep[index] ?? 0) - (seenAtStep[index - 1] ?? 0)) * STEP_MS
      expect(gapMs).toBeGreaterThanOrEqual(HEARTBEAT_MS * 0.9 - STEP_MS)
    }
    expect(await feature(first, 'forecast').isVisible()).toBe(true)
    expect(await feature(second, 'forecast').isVisible()).toBe(true)
  })

  it('makes no requests from a hidden tab, and checks again once it is visible', async () => {
    const { context, page } = await profileWithKey(harness.issue())
    await page.waitForLoadState('networkidle')
    const requests = proxyRequests(page)
    await page.evaluate(() => window.__setVisibility?.('hidden'))

    for (let step = 0; step < (3 * HEARTBEAT_MS) / STEP_MS; step++) {
      await runClocksFor(harness, context, STEP_MS)
    }
    await page.waitForLoadState('networkidle')
    expect(requests.count).toBe(0)

    await page.evaluate(() => window.__setVisibility?.('visible'))
    await waitUntil('a validation after the tab became visible', () => requests.count > 0)
    expect(requests.count).toBe(1)
  })
})
