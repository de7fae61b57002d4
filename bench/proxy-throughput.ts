// Validate throughput of the licensekit proxy against bare forwarders, measured in one run:
//   (a) createLicenseProxy under toNodeHandler (the node entry: node:crypto, node:http upstream),
//   (b) a bare node:http forwarder (read the body, sign with node:crypto, pipe the answer back),
//   (c) the same bare forwarder on globalThis.fetch (what the proxy uses off Node),
//   (d) the same bare forwarder on ky (timeout and one retry), the client the proxy used before.
// Then one validate whose upstream answer is 1 GiB, with the proxy process's RSS around it.
// Each forwarder runs in its own process (bench/forwarder-child.ts) and reports its CPU time
// (process.cpuUsage), so CPU µs per request are the forwarder's own. The upstream is a canned
// validate answer on node:http in this process, and so is the load: BENCH_CONCURRENCY keep-alive
// clients, alternating one-second slices between the forwarders (background load hits all alike).
// Run: pnpm build && pnpm bench:proxy   (BENCH_SECONDS per side, default 5; BENCH_CONCURRENCY, default 32;
// BENCH_CPU_PROF=DIR to profile the proxy children, then `tsx bench/profile-summary.ts DIR/<file>`)
import { type ChildProcess, execFileSync, fork } from 'node:child_process'
import { once } from 'node:events'
import { Agent, createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)
const secret = 'bench-secret-0123456789abcdef'
const key = 'BENCH-A1B2-C3D4-E5F6-G7H8'

/** The checkout's commit, or `unknown` outside a git checkout. */
function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim()
  } catch {
    return 'unknown'
  }
}

const loadBefore = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ')

async function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

// The upstream: what the local license server answers to a valid validate, canned.
const cannedAnswer = JSON.stringify({
  valid: true,
  license: { key, status: 'active', expiresAt: null, activationsCount: 1, activationsLimit: 5 },
})
const upstreamServer = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(cannedAnswer),
    })
    res.end(cannedAnswer)
  })
})
const upstream = `http://127.0.0.1:${await listen(upstreamServer)}/api`

/** BENCH_CPU_PROF=DIR: the proxy and bare node:http children write a V8 CPU profile there (bench/profile-summary.ts reads it). */
function profileArgs(kind: string): string[] {
  const dir = process.env.BENCH_CPU_PROF
  return dir && (kind === 'proxy' || kind === 'node-http')
    ? ['--cpu-prof', `--cpu-prof-dir=${dir}`]
    : []
}

interface Forwarder {
  name: string
  child: ChildProcess
  port: number
  path: string
}

async function startForwarder(
  kind: string,
  name: string,
  path: string,
  target = upstream,
): Promise<Forwarder> {
  const child = fork(new URL('./forwarder-child.ts', import.meta.url), {
    execArgv: ['--import', 'tsx', '--expose-gc', ...profileArgs(kind)],
    env: {
      ...process.env,
      FORWARDER: kind,
      FORWARDER_UPSTREAM: target,
      FORWARDER_SECRET: secret,
    },
  })
  const [{ port }] = (await once(child, 'message')) as [{ port: number }]
  return { name, child, port, path }
}

async function ask(forwarder: Forwarder, type: 'cpu' | 'rss'): Promise<number> {
  forwarder.child.send({ type })
  const [answer] = (await once(forwarder.child, 'message')) as [Record<typeof type, number>]
  return answer[type]
}
const cpuOf = (forwarder: Forwarder) => ask(forwarder, 'cpu')

const clientAgent = new Agent({ keepAlive: true, maxSockets: concurrency })
const requestBody = JSON.stringify({ key })
function validate(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: clientAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(requestBody),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(requestBody)
  })
}

async function measure(forwarder: Forwarder, duration: number) {
  let ok = 0
  let failed = 0
  const cpuBefore = await cpuOf(forwarder)
  const started = performance.now()
  const end = started + duration * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if ((await validate(forwarder.port, forwarder.path)) === 200) ok++
        else failed++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const cpu = (await cpuOf(forwarder)) - cpuBefore
  return { ok, failed, elapsed, cpu }
}

const forwarders = [
  await startForwarder('proxy', 'licensekit proxy (toNodeHandler)', '/api/license/validate'),
  await startForwarder('node-http', 'bare node:http forwarder', '/validate'),
  await startForwarder('fetch', 'bare fetch forwarder', '/validate'),
  await startForwarder('ky', 'bare ky forwarder', '/validate'),
]
for (const forwarder of forwarders) await measure(forwarder, 1)
const totals = forwarders.map(() => ({ ok: 0, failed: 0, elapsed: 0, cpu: 0 }))
for (let slice = 0; slice < seconds; slice++) {
  for (const [index, forwarder] of forwarders.entries()) {
    const result = await measure(forwarder, 1)
    const total = totals[index]
    if (!total) continue
    total.ok += result.ok
    total.failed += result.failed
    total.elapsed += result.elapsed
    total.cpu += result.cpu
  }
}
const results = forwarders.map((forwarder, index) => {
  const total = totals[index] ?? { ok: 0, failed: 0, elapsed: 1, cpu: 0 }
  return {
    name: forwarder.name,
    ...total,
    perSecond: total.ok / total.elapsed,
    cpuPerRequest: total.cpu / Math.max(1, total.ok + total.failed),
  }
})

console.log(
  `validate through each forwarder (own process) to a canned upstream: ${seconds} s each, ${concurrency} keep-alive clients, node ${process.version}, commit ${commit()}, load average before the run ${loadBefore}`,
)
console.log(`${'forwarder'.padEnd(34)} ${'req/s'.padStart(7)} ${'CPU µs/req'.padStart(11)}`)
for (const result of results) {
  console.log(
    `${result.name.padEnd(34)} ${result.perSecond.toFixed(0).padStart(7)} ${result.cpuPerRequest.toFixed(0).padStart(11)}  (${result.ok} ok, ${result.failed} failed in ${result.elapsed.toFixed(1)} s)`,
  )
}
const [viaProxy, bare, viaFetch, viaKy] = results
if (viaProxy && bare && viaFetch && viaKy) {
  const ratio = (a: number, b: number) => (a / b).toFixed(2)
  console.log(
    `ratio proxy / bare node:http forwarder (same client):  ${ratio(viaProxy.perSecond, bare.perSecond)}`,
  )
  console.log(
    `ratio proxy / bare fetch forwarder:                   ${ratio(viaProxy.perSecond, viaFetch.perSecond)}`,
  )
  console.log(
    `ratio bare ky / bare fetch forwarder:                  ${ratio(viaKy.perSecond, viaFetch.perSecond)}`,
  )
  console.log(
    `CPU per request, proxy ÷ bare node:http: ${ratio(viaProxy.cpuPerRequest, bare.cpuPerRequest)}, proxy ÷ bare fetch: ${ratio(viaProxy.cpuPerRequest, viaFetch.cpuPerRequest)}, bare ky ÷ bare fetch: ${ratio(viaKy.cpuPerRequest, viaFetch.cpuPerRequest)}`,
  )
}

// A 1 GiB upstream answer: the proxy reads 64 KiB of it, answers 503 and drops the rest.
const flood = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let written = 0
    const pump = () => {
      while (written < 1024 ** 3 && !res.destroyed) {
        written += chunk.byteLength
        if (!res.write(chunk)) return
      }
      res.end()
    }
    res.on('drain', pump)
    pump()
  })
})
const flooded = await startForwarder(
  'proxy',
  'proxy against a 1 GiB answer',
  '/api/license/validate',
  `http://127.0.0.1:${await listen(flood)}/api`,
)
for (let i = 0; i < 50; i++) await validate(flooded.port, flooded.path)
const rssBefore = await ask(flooded, 'rss')
const floodStatus = await validate(flooded.port, flooded.path)
const rssAfter = await ask(flooded, 'rss')
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
const growth = rssAfter - rssBefore
console.log(
  `1 GiB upstream answer: proxy answered ${floodStatus}; proxy RSS ${mb(rssBefore)} MB -> ${mb(rssAfter)} MB (${growth < 0 ? '' : '+'}${mb(growth)} MB)`,
)
forwarders.push(flooded)

clientAgent.destroy()
for (const forwarder of forwarders) {
  forwarder.child.send({ type: 'stop' })
  await once(forwarder.child, 'exit')
}
for (const server of [upstreamServer, flood]) {
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
if (results.some((result) => result.failed > 0) || floodStatus !== 503) process.exitCode = 1
