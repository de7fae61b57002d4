// Load test: the proxy (own process) at a steady request rate for LOAD_SECONDS (default 60) on
// loopback, validating against the local license server. Reports errors (must be 0), latency
// percentiles, and the proxy process's RSS before and after. Exits non-zero on any error.
// Run: pnpm build && pnpm bench:load   (LOAD_RATE requests/s, default 200)
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLicenseServer } from '../packages/license-server/dist/index.js'

const seconds = Number(process.env.LOAD_SECONDS ?? 60)
const rate = Number(process.env.LOAD_RATE ?? 200)
const secret = 'load-test-secret-0123456789'
const dir = mkdtempSync(join(tmpdir(), 'licensekit-load-'))
const server = createLicenseServer({ db: join(dir, 'load.db'), secret, log: false })
const { apiBase } = await server.listen({ port: 0, host: '127.0.0.1' })
const [key] = server.store.issue({ prefix: 'LOAD', limit: 5 })
if (!key) throw new Error('no key issued')

const child = fork(new URL('./proxy-load-child.ts', import.meta.url), {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  env: { ...process.env, LOAD_UPSTREAM: apiBase, LOAD_SECRET: secret },
})
const ask = async <T>(type: string): Promise<T> => {
  child.send({ type })
  const [message] = (await once(child, 'message')) as [T]
  return message
}
const [{ port }] = (await once(child, 'message')) as [{ port: number }]
const agent = new Agent({ keepAlive: true, maxSockets: 64 })
const body = JSON.stringify({ key })

function validate(): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/license/validate',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(body)
  })
}

for (let i = 0; i < 200; i++) await validate()
const rssBefore = (await ask<{ rss: number }>('rss')).rss

const latencies: number[] = []
let errors = 0
const failedStatuses: number[] = []
let sent = 0
const inFlight = new Set<Promise<void>>()
const started = performance.now()
const total = Math.round(seconds * rate)
while (sent < total) {
  const due = started + (sent * 1000) / rate
  const wait = due - performance.now()
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
  const t0 = performance.now()
  const pending = validate().then((status) => {
    latencies.push(performance.now() - t0)
    if (status !== 200) {
      errors++
      failedStatuses.push(status)
    }
  })
  inFlight.add(pending)
  void pending.finally(() => inFlight.delete(pending))
  sent++
}
await Promise.all(inFlight)
const elapsed = (performance.now() - started) / 1000
const rssAfter = (await ask<{ rss: number }>('rss')).rss

latencies.sort((a, b) => a - b)
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
console.log(`proxy load: ${sent} validate requests in ${elapsed.toFixed(1)} s (target ${rate}/s)`)
console.log(`errors: ${errors}${errors ? ` (statuses ${failedStatuses.join(', ')})` : ''}`)
console.log(
  `latency p50 ${pct(0.5).toFixed(2)} ms, p99 ${pct(0.99).toFixed(2)} ms, max ${pct(1).toFixed(2)} ms`,
)
console.log(`proxy RSS before ${mb(rssBefore)}, after ${mb(rssAfter)}`)

child.send({ type: 'stop' })
await once(child, 'exit')
agent.destroy()
await server.close()
rmSync(dir, { recursive: true, force: true })
if (errors > 0) process.exit(1)
