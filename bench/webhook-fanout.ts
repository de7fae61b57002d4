// Latency from a webhook POST to the proxy until the matching `event: license` frame reaches an
// event stream: (a) one proxy instance with the in-memory bus, (b) two instances sharing Redis
// (`@licensekit/redis`), the webhook sent to A and the stream held on B. The browser part
// (EventSource → validation → locked page) is not included. Events are sent one at a time,
// alternating (a) and (b); prints p50/p95/max per side and the ratio. Starts its own
// redis-server on a free 127.0.0.1 port.
// Run: pnpm build && pnpm bench:events   (BENCH_EVENTS per side, default 20)
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createLicenseProxy,
  signWebhookBody,
  toNodeHandler,
} from '../packages/core/dist/server/index.js'
import { createRedisEventBus, createRedisRateLimitStore } from '../packages/redis/dist/index.js'
import {
  connectedClient,
  startRedisServer,
} from '../packages/redis/src/test-support/redis-server.ts'

const events = Number(process.env.BENCH_EVENTS ?? 20)
const secret = 'bench-secret-0123456789abcdef'
const webhookSecret = 'bench-webhook-secret-0123456789'
const key = 'BENCH-A1B2-C3D4-E5F6-G7H8'
const sub = createHash('sha256').update(key).digest('hex')

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const redis = await startRedisServer()
const [clientA, clientB] = await Promise.all([
  connectedClient(redis.url),
  connectedClient(redis.url),
])
const [busA, busB] = await Promise.all([createRedisEventBus(clientA), createRedisEventBus(clientB)])

function proxyOn(options: Partial<Parameters<typeof createLicenseProxy>[0]>) {
  const handler = createLicenseProxy({
    secret,
    domain: 'bench.example',
    upstream: 'http://127.0.0.1:9/api',
    webhookSecret,
    rateLimit: false,
    ...options,
  })
  return createServer(toNodeHandler(handler))
}

const memoryServer = proxyOn({})
const serverA = proxyOn({
  eventBus: busA,
  rateLimit: { store: createRedisRateLimitStore(clientA) },
})
const serverB = proxyOn({
  eventBus: busB,
  rateLimit: { store: createRedisRateLimitStore(clientB) },
})
const servers = [memoryServer, serverA, serverB]
const memory = await listen(memoryServer)
const redisA = await listen(serverA)
const redisB = await listen(serverB)

/** An open stream and a way to wait for its next event frame. */
async function openStream(origin: string) {
  const response = await fetch(`${origin}/api/license/events?sub=${sub}`)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  await reader.read()
  return async () => {
    for (;;) {
      const chunk = await reader.read()
      if (chunk.done) throw new Error('stream ended')
      if (decoder.decode(chunk.value).startsWith('event: license')) return
    }
  }
}

let sequence = 0
async function deliver(origin: string): Promise<void> {
  sequence += 1
  const body = JSON.stringify({
    id: `evt_${sequence}`,
    event: 'license.revoked',
    createdAt: new Date().toISOString(),
    data: { licenseKey: key },
  })
  const response = await fetch(`${origin}/api/license/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-ecosire-event': 'license.revoked',
      'x-ecosire-delivery': `dlv_${sequence}`,
      'x-ecosire-signature': await signWebhookBody(webhookSecret, body),
    },
    body,
  })
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
}

const sides = [
  { name: '(a) one instance, memory bus', webhookTo: memory, next: await openStream(memory) },
  {
    name: '(b) two instances, Redis bus (A → B)',
    webhookTo: redisA,
    next: await openStream(redisB),
  },
]
const samples: number[][] = sides.map(() => [])
for (let i = 0; i < events + 3; i++) {
  for (const [index, side] of sides.entries()) {
    const started = performance.now()
    const arrived = side.next()
    await deliver(side.webhookTo)
    await arrived
    if (i >= 3) samples[index]?.push(performance.now() - started)
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

console.log(`webhook POST → event frame on the stream, ${events} events per side (3 warm-up)\n`)
console.log('| side | p50 ms | p95 ms | max ms |')
console.log('|---|---|---|---|')
const p50s: number[] = []
for (const [index, side] of sides.entries()) {
  const values = samples[index] ?? []
  p50s.push(percentile(values, 50))
  console.log(
    `| ${side.name} | ${percentile(values, 50).toFixed(2)} | ${percentile(values, 95).toFixed(2)} | ${Math.max(...values).toFixed(2)} |`,
  )
}
console.log(`| ratio p50 (b) / (a) | ${((p50s[1] ?? 0) / (p50s[0] ?? 1)).toFixed(2)} | | |`)

for (const server of servers) {
  server.closeAllConnections()
  server.close()
}
await Promise.all([busA.close(), busB.close()])
clientA.destroy()
clientB.destroy()
await redis.stop()
