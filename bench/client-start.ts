// The browser client's time to its first licensed snapshot: cold start (empty storage, so the
// client must ask the proxy) against warm start (storage already holding a good record, so the
// client answers from the cache). The license server and the proxy listen on 127.0.0.1 in this
// process; the client uses the real fetch over loopback and the default IndexedDB storage
// (idb-keyval) on fake-indexeddb, in installation mode (the mode where a page load with nothing
// stored checks by itself; in device mode an empty store means "unlicensed" until a key is typed).
// Receipts are on: the proxy signs, and the warm start verifies the receipt (ECDSA P-256) before
// trusting the cache; "warm, no receipt check" is the same record read by a client without
// `receipts: verifyReceipts(key)`. Node's fetch keeps connections alive between iterations, so
// the cold figure excludes a TCP connect. Each iteration measures from `start()` to the first snapshot with
// `isLicensed` true.
// Run: pnpm build && pnpm bench:client   (BENCH_ITERATIONS, default 200; 20 more warm up first)
import 'fake-indexeddb/auto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyReceipts } from '@licensekit/core/receipts'
import { IDBFactory } from 'fake-indexeddb'
import {
  createIdbStorage,
  createLicenseClient,
  isLicensed,
  type LicenseStorage,
} from '../packages/core/dist/index.js'
import {
  createLicenseProxy,
  generateSigningKeys,
  toNodeHandler,
} from '../packages/core/dist/server/index.js'
import { createLicenseServer } from '../packages/license-server/dist/index.js'

const iterations = Number(process.env.BENCH_ITERATIONS ?? 200)
const warmup = 20
const secret = 'bench-secret-0123456789abcdef'
const domain = 'bench.example'

const licenseServer = createLicenseServer({ db: ':memory:', secret, log: false })
const { apiBase } = await licenseServer.listen({ port: 0, host: '127.0.0.1' })
const [key] = licenseServer.store.issue({ prefix: 'BENCH', limit: 1 })
if (!key) throw new Error('no key issued')
licenseServer.store.activate(key, domain)

const receiptKeys = await generateSigningKeys()
const proxy = createLicenseProxy({
  secret,
  domain,
  upstream: apiBase,
  rateLimit: false, // one client address makes every request here
  signingKeys: [receiptKeys.privateJwk],
  resolveKey: async () => key,
})
const proxyServer = createServer(toNodeHandler(proxy))
await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve))
const endpoint = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}/api/license`

/** The default IndexedDB storage, with a way to wait until the client's last write landed. */
function trackedStorage(): { storage: LicenseStorage; written: () => Promise<void> } {
  const inner = createIdbStorage()
  let last: Promise<void> = Promise.resolve()
  return {
    storage: {
      get: (name) => inner.get(name),
      set: (name, value) => {
        last = inner.set(name, value)
        return last
      },
      del: (name) => inner.del(name),
    },
    written: () => last,
  }
}

/** ms from `start()` to the first licensed snapshot; the client is stopped afterwards. */
async function timeToLicensed(
  storage: LicenseStorage,
  checkReceipts: boolean,
  expectedSource: 'server' | 'cache',
): Promise<number> {
  const client = createLicenseClient({
    endpoint,
    mode: 'installation',
    domain,
    storage,
    ...(checkReceipts ? { receipts: verifyReceipts(receiptKeys.publicJwk) } : {}),
    visibility: { isVisible: () => true, subscribe: () => () => {} },
    online: { subscribe: () => () => {} },
    locks: null,
    channel: null,
  })
  let unsubscribe = () => {}
  const licensed = new Promise<void>((resolve) => {
    unsubscribe = client.subscribe(() => {
      if (isLicensed(client.getSnapshot())) resolve()
    })
  })
  const started = performance.now()
  client.start()
  await licensed
  const elapsed = performance.now() - started
  unsubscribe()
  client.stop()
  const { status, source } = client.getSnapshot()
  if (status !== 'active' || source !== expectedSource) {
    throw new Error(`expected active from the ${expectedSource}, got ${status} from the ${source}`)
  }
  return elapsed
}

const cold: number[] = []
const warm: number[] = []
const warmUnverified: number[] = []

for (let i = 0; i < warmup + iterations; i++) {
  globalThis.indexedDB = new IDBFactory() // a first visit: no database yet
  const first = trackedStorage()
  const coldMs = await timeToLicensed(first.storage, true, 'server')
  await first.written()
  // Page loads with the record in place: a new storage handle opens the database again.
  const warmMs = await timeToLicensed(trackedStorage().storage, true, 'cache')
  const warmUnverifiedMs = await timeToLicensed(trackedStorage().storage, false, 'cache')
  if (i < warmup) continue
  cold.push(coldMs)
  warm.push(warmMs)
  warmUnverified.push(warmUnverifiedMs)
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

const rows = [
  ['cold (empty storage → proxy → license server)', cold],
  ['warm (cached record, receipt verified)', warm],
  ['warm (cached record, no receipt check)', warmUnverified],
] as const
console.log(
  `node ${process.version}, ${iterations} iterations (+${warmup} warm-up), fake-indexeddb, loopback HTTP`,
)
console.log(
  `${'start → first licensed snapshot'.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`,
)
for (const [name, values] of rows) {
  const p50 = percentile(values, 50).toFixed(2).padStart(8)
  const p95 = percentile(values, 95).toFixed(2).padStart(8)
  console.log(`${name.padEnd(48)} ${p50} ${p95}`)
}
const ratio = (a: number[], b: number[], p: number) =>
  (percentile(a, p) / percentile(b, p)).toFixed(1)
console.log(
  `ratio cold / warm (receipt verified): p50 ${ratio(cold, warm, 50)}×, p95 ${ratio(cold, warm, 95)}×`,
)
console.log(
  `ratio cold / warm (no receipt check): p50 ${ratio(cold, warmUnverified, 50)}×, p95 ${ratio(cold, warmUnverified, 95)}×`,
)

await new Promise<void>((resolve) => {
  proxyServer.close(() => resolve())
  proxyServer.closeAllConnections()
})
await licenseServer.close()
