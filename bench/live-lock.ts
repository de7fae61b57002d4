// End to end in real Chromium: from a signed webhook `POST /api/license/webhook` to the demo
// proxy until the open dashboard tab shows the change: locked (the upsell instead of the
// licensed feature) after `license.revoked`, unlocked again after `license.reinstated`. The path:
// webhook → event bus → the leader tab's EventSource → one validation → the license server's
// answer → the page. In the same run, a Node reader on the same proxy's `/events` stream times
// the server half (POST → `event: license` frame), so the ratio shows what the browser adds.
// The license itself changes in the license server's store just before each POST.
// Run: pnpm build && pnpm bench:live-lock   (BENCH_CYCLES, default 20: each a revocation and a
// reinstatement, so 20 lock and 20 unlock events; 2 more cycles warm up first)

import { createHash } from 'node:crypto'
import { loadavg } from 'node:os'
import { launchChromium } from '../examples/vite-app/e2e/browser.js'
import { createDemoServer, type ProxyExchange } from '../examples/vite-app/server/demo-server.js'
import { signWebhookBody } from '../packages/core/dist/server/index.js'
import { buildDemo, DAY_MS, demoLicense, distDir } from './demo-fixture.js'

const cycles = Number(process.env.BENCH_CYCLES ?? 20)
const warmupCycles = 2
const secret = 'bench-live-lock-secret-0123456789abcdef'
const webhookSecret = 'bench-live-lock-webhook-secret-0123456789'
/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
const clock = () => performance.timeOrigin + performance.now()

buildDemo()
const { licenseServer, apiBase, key } = await demoLicense(secret, 3)
const exchanges: ProxyExchange[] = []
const demo = await createDemoServer({
  secret,
  upstream: apiBase,
  domain: 'localhost',
  distDir,
  heartbeatIntervalMs: DAY_MS,
  webhookSecret,
  // One key and one address send every request: the proxy's limits would refuse them.
  rateLimit: false,
  onProxyExchange: (exchange) => exchanges.push(exchange),
})
const count = (path: string) => exchanges.filter((e) => e.path === `/api/license/${path}`).length
const browser = await launchChromium()

declare global {
  interface Window {
    /** Times (epoch ms) the dashboard turned locked or unlocked, stamped in the page. */
    __liveLock?: { locked: boolean; at: number }[]
  }
}

/** Opens a Node reader on the proxy's event stream; `next()` resolves at the next event frame. */
async function serverStream() {
  const sub = createHash('sha256')
    .update(key ?? '')
    .digest('hex')
  const response = await fetch(`${demo.url}/api/license/events?sub=${sub}`)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  await reader.read()
  return {
    next: async (): Promise<number> => {
      for (;;) {
        const chunk = await reader.read()
        if (chunk.done) throw new Error('stream ended')
        if (decoder.decode(chunk.value).startsWith('event: license')) return clock()
      }
    },
    close: () => reader.cancel(),
  }
}

let delivery = 0
async function postWebhook(event: 'license.revoked' | 'license.reinstated'): Promise<number> {
  const id = `bench-${++delivery}`
  const status = event === 'license.revoked' ? 'revoked' : 'active'
  const body = JSON.stringify({
    id,
    event,
    createdAt: new Date().toISOString(),
    data: { licenseKey: key, status },
  })
  const headers = {
    'content-type': 'application/json',
    'x-ecosire-event': event,
    'x-ecosire-delivery': id,
    'x-ecosire-signature': await signWebhookBody(webhookSecret, body),
  }
  const sentAt = clock()
  const answer = await fetch(`${demo.url}/api/license/webhook`, { method: 'POST', headers, body })
  if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`)
  return sentAt
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) ?? 0 }
}

try {
  const context = await browser.newContext()
  await context.addInitScript(() => {
    const marks: { locked: boolean; at: number }[] = []
    window.__liveLock = marks
    let last: boolean | null = null
    new MutationObserver(() => {
      const upsell = document.querySelector('[data-upsell="forecast"]') !== null
      const feature = document.querySelector('[data-licensed-feature="forecast"]') !== null
      if (upsell === feature) return
      const locked = upsell
      if (locked === last) return
      last = locked
      marks.push({ locked, at: performance.timeOrigin + performance.now() })
    }).observe(document, { childList: true, subtree: true })
  })
  const page = await context.newPage()
  await page.goto(`${demo.url}/settings`)
  await page.getByLabel('License key').fill(key)
  await page.getByRole('button', { name: 'Activate' }).click()
  await page
    .getByRole('status', { name: 'License status' })
    .getByText(/\bactive\b/)
    .waitFor()
  const streamsBefore = count('events')
  await page.goto(`${demo.url}/`)
  await page.locator('[data-licensed-feature="forecast"]').waitFor()
  while (count('events') === streamsBefore) await new Promise((r) => setTimeout(r, 20))
  const stream = await serverStream()

  const lock: number[] = []
  const unlock: number[] = []
  const server: number[] = []
  let validations = 0
  for (let cycle = 0; cycle < warmupCycles + cycles; cycle++) {
    for (const event of ['license.revoked', 'license.reinstated'] as const) {
      const locked = event === 'license.revoked'
      if (locked) licenseServer.store.revoke(key)
      else licenseServer.store.reinstate(key)
      const marksBefore = await page.evaluate(() => window.__liveLock?.length ?? 0)
      const validatesBefore = count('validate')
      const frame = stream.next()
      const sentAt = await postWebhook(event)
      const frameAt = await frame
      const handle = await page.waitForFunction(
        ([from, want]) => window.__liveLock?.slice(from).find((mark) => mark.locked === want)?.at,
        [marksBefore, locked] as const,
        { polling: 'raf', timeout: 10_000 },
      )
      const shownAt = (await handle.jsonValue()) as number
      if (cycle < warmupCycles) continue
      ;(locked ? lock : unlock).push(shownAt - sentAt)
      server.push(frameAt - sentAt)
      validations += count('validate') - validatesBefore
    }
  }
  await stream.close()

  const rows = [
    ['webhook POST → `event: license` frame (Node reader, server only)', summary(server)],
    ['webhook POST → tab locked (`license.revoked`)', summary(lock)],
    ['webhook POST → tab unlocked (`license.reinstated`)', summary(unlock)],
    ['webhook POST → tab changed (both)', summary([...lock, ...unlock])],
  ] as const
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')
  console.log(
    `\n${cycles} cycles (${cycles} revoked + ${cycles} reinstated), one tab, load ${load}`,
  )
  console.log(`validations sent by the tab: ${validations} for ${2 * cycles} events\n`)
  console.log('| path | p50 ms | p95 ms | max ms |')
  console.log('|---|---|---|---|')
  for (const [name, s] of rows) {
    console.log(`| ${name} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.max.toFixed(2)} |`)
  }
  const ratio = (a: number, b: number) => (a / b).toFixed(1)
  const locked = summary(lock)
  const serverOnly = summary(server)
  console.log(
    `| ratio locked / server only | ${ratio(locked.p50, serverOnly.p50)} | ${ratio(locked.p95, serverOnly.p95)} | |`,
  )
} finally {
  await browser.close()
  await demo.close()
  await licenseServer.close()
}
