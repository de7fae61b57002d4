// Warm start in real Chromium: on a reload of the built demo with a license already stored (a
// record with a valid license token), when React first commits and when the licensed feature
// (`[data-licensed-feature="forecast"]` on the dashboard) is in the DOM. Two builds of the demo
// run side by side, reload after reload in turn: as shipped (the record in localStorage through
// `createWebStorage`) and with the client's default storage, IndexedDB
// (`VITE_LICENSEKIT_STORAGE=indexeddb`). Both start the client at module load, before React.
// An init script stamps `performance.now()` when `#root` first gets children (the first commit)
// and when the feature first appears; a reload with the feature in the first commit counts 0 ms.
// Goal: feature − first commit p50 ≤ 10 ms, without navigation → feature getting worse.
// Run: pnpm build && pnpm bench:warm-start   (BENCH_RELOADS per side, default 40, after 5 warm-up
// reloads; BENCH_PHASES=1 also times the start path's platform calls, see warm-start-probe.ts;
// BENCH_BINDING=device runs the demo with one slot per browser profile)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ConsoleMessage, Page } from 'playwright-core'
import { launchChromium } from '../examples/vite-app/e2e/browser.js'
import { createDemoServer, type DemoServer } from '../examples/vite-app/server/demo-server.js'
import type { LicenseServer } from '../packages/license-server/dist/index.js'
import { buildDemo, DAY_MS, demoLicense, distDir } from './demo-fixture.js'
import { installPhaseProbe, type ProbeEvent, printPhases } from './warm-start-probe.js'

const reloads = Number(process.env.BENCH_RELOADS ?? 40)
const warmup = 5
const goalMs = 10
const phases = process.env.BENCH_PHASES === '1'
/** BENCH_BINDING=device: one slot per browser profile (the device id is read at start too). */
const binding = process.env.BENCH_BINDING === 'device' ? 'device' : 'site'
const secret = 'bench-warm-start-secret-0123456789abcdef'
/** What the page logs once the feature is in the DOM. */
const DONE = 'warm-start: licensed feature in the DOM'
const isDone = (message: ConsoleMessage) => message.text() === DONE

interface Marks {
  commit: number | null
  feature: number | null
}

declare global {
  interface Window {
    __warmStart?: Marks
  }
}

interface Side {
  label: string
  distDir: string
  page?: Page
  servers?: { demo: DemoServer; licenseServer: LicenseServer }
  commits: number[]
  features: number[]
  gaps: number[]
  probes: ProbeEvent[][]
}

/** Runs in the page: stamps the first commit and the feature, then says so on the console. */
function stampCommits(done: string): void {
  const marks: Marks = { commit: null, feature: null }
  window.__warmStart = marks
  const observer = new MutationObserver(() => {
    const root = document.getElementById('root')
    if (root === null) return
    const now = performance.now()
    if (marks.commit === null && root.childElementCount > 0) marks.commit = now
    if (marks.feature === null && root.querySelector('[data-licensed-feature="forecast"]')) {
      marks.feature = now
      observer.disconnect()
      console.debug(done)
    }
  })
  observer.observe(document, { childList: true, subtree: true })
}

/** Runs in the page: the probe's calls, the page's own `performance.mark`s and the two commits. */
function collectProbe(): ProbeEvent[] {
  const events = [...(window.__probe ?? [])]
  for (const mark of performance.getEntriesByType('mark')) {
    events.push({ name: `mark ${mark.name}`, start: mark.startTime, end: mark.startTime })
  }
  const { commit, feature } = window.__warmStart ?? { commit: null, feature: null }
  if (commit !== null) events.push({ name: 'first React commit', start: commit, end: commit })
  if (feature !== null) {
    events.push({ name: 'licensed feature in DOM', start: feature, end: feature })
  }
  return events
}

const indexedDbDist = mkdtempSync(join(tmpdir(), 'licensekit-warm-start-'))
buildDemo()
buildDemo(indexedDbDist, { VITE_LICENSEKIT_STORAGE: 'indexeddb' })
const sides: Side[] = [
  { label: 'localStorage (demo)', distDir, commits: [], features: [], gaps: [], probes: [] },
  {
    label: 'IndexedDB (default)',
    distDir: indexedDbDist,
    commits: [],
    features: [],
    gaps: [],
    probes: [],
  },
]
const browser = await launchChromium()

async function prepare(side: Side): Promise<Page> {
  const { licenseServer, apiBase, key } = await demoLicense(secret, 1)
  const demo = await createDemoServer({
    secret,
    upstream: apiBase,
    domain: 'localhost',
    distDir: side.distDir,
    heartbeatIntervalMs: DAY_MS,
    binding,
  })
  side.servers = { demo, licenseServer }
  const context = await browser.newContext()
  await context.addInitScript(stampCommits, DONE)
  // tsx keeps function names with a `__name` helper the page does not have.
  const probe = `{ const __name = (f) => f; (${installPhaseProbe.toString()})() }`
  if (phases) await context.addInitScript({ content: probe })
  const page = await context.newPage()
  await page.goto(`${demo.url}/settings`)
  await page.getByLabel('License key').pressSequentially(key)
  await page.getByRole('button', { name: 'Activate' }).click()
  await page.getByText('License activated.').waitFor()
  await page.goto(`${demo.url}/`)
  await page.locator('[data-licensed-feature="forecast"]').waitFor()
  return page
}

async function reload(side: Side, counted: boolean): Promise<void> {
  const page = side.page
  if (!page) throw new Error(`${side.label} is not prepared`)
  // Waiting on a console message sends nothing to the page; polling with `waitForFunction`
  // would inject Playwright's script (a 14 ms task) into the very window being measured.
  const done = page.waitForEvent('console', { predicate: isDone, timeout: 10_000 })
  await page.reload()
  await done
  const marks = await page.evaluate(() => window.__warmStart as Marks)
  if (!counted || marks.commit === null || marks.feature === null) return
  side.commits.push(marks.commit)
  side.features.push(marks.feature)
  side.gaps.push(marks.feature - marks.commit)
  if (phases) side.probes.push(await page.evaluate(collectProbe))
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
}
const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`
const row = (label: string, values: number[]) =>
  `${label.padEnd(38)} ${ms(quantile(values, 0.5))} ${ms(quantile(values, 0.95))} ${ms(Math.max(...values))}`

try {
  for (const side of sides) side.page = await prepare(side)
  for (let i = 0; i < warmup + reloads; i++) {
    for (const side of sides) await reload(side, i >= warmup)
  }
  console.log(
    `\nwarm reloads: ${reloads} per side, alternating (after ${warmup} warm-up reloads), binding: ${binding}`,
  )
  for (const side of sides) {
    console.log(`\n${side.label}                    p50        p95        max`)
    console.log(row('first React commit (from navigation)', side.commits))
    console.log(row('licensed feature (from navigation)', side.features))
    console.log(row('licensed feature − first commit', side.gaps))
    const first = side.gaps.filter((gap) => gap === 0).length
    console.log(`in the first commit: ${first} of ${side.gaps.length}`)
    if (phases) printPhases(side.probes)
  }
  const [demo, idb] = sides as [Side, Side]
  const ratio = (a: number[], b: number[], q: number) =>
    (quantile(a, q) / quantile(b, q)).toFixed(2)
  console.log(`\nratio ${demo.label} / ${idb.label}       p50     p95`)
  for (const [label, a, b] of [
    ['first React commit (from navigation)', demo.commits, idb.commits],
    ['licensed feature (from navigation)', demo.features, idb.features],
  ] as const) {
    console.log(`${label.padEnd(38)} ${ratio(a, b, 0.5).padStart(6)}  ${ratio(a, b, 0.95)}`)
  }
  for (const side of sides) {
    const p50 = quantile(side.gaps, 0.5)
    const verdict = p50 <= goalMs ? 'met' : 'not met'
    console.log(`${side.label}: goal feature − first commit p50 ≤ ${goalMs} ms ${verdict}`)
  }
} finally {
  await browser.close()
  for (const side of sides) {
    await side.servers?.demo.close()
    await side.servers?.licenseServer.close()
  }
  rmSync(indexedDbDist, { recursive: true, force: true })
}
