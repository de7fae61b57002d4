// Validate throughput through (a) the licensekit proxy under toNodeHandler and (b) a bare
// node:http forwarder that signs with node:crypto and pipes to the same upstream (the local
// license server), plus (c) for reference the bare forwarder on globalThis.fetch. Measured in one
// run with the same load, in alternating one-second slices; prints requests/s and the ratios.
// Everything (load, forwarders, license server) runs in this one process on 127.0.0.1.
// Run: pnpm build && pnpm bench:proxy   (BENCH_SECONDS per side, default 5; BENCH_CONCURRENCY, default 32)
import { createHmac } from 'node:crypto'
import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLicenseProxy, toNodeHandler } from '../packages/core/dist/server/index.js'
import { createLicenseServer } from '../packages/license-server/src/index.ts'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)
const secret = 'bench-secret-0123456789abcdef'
const domain = 'bench.example'

const licenseServer = createLicenseServer({ db: ':memory:', secret, log: false })
const { apiBase } = await licenseServer.listen({ port: 0, host: '127.0.0.1' })
const [key] = licenseServer.store.issue({ prefix: 'BENCH', limit: 5 })
if (!key) throw new Error('no key issued')

async function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

// (a) the proxy, rate limit off so the bench measures forwarding.
const proxy = createLicenseProxy({ secret, domain, upstream: apiBase, rateLimit: false })
const proxyServer = createServer(toNodeHandler(proxy))
const proxyPort = await listen(proxyServer)

// (b) the bare forwarder: read the body, sign {key, domain, timestamp}, pipe the answer back.
const upstreamUrl = new URL(`${apiBase}/licenses/validate`)
const upstreamAgent = new Agent({ keepAlive: true, maxSockets: concurrency })
function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      text += chunk
    })
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}
/** What both bare forwarders send upstream: the signed `{domain, key, timestamp}` payload. */
async function signedPayload(req: IncomingMessage) {
  const { key: bodyKey } = JSON.parse(await readAll(req)) as { key: string }
  const payload = { domain, key: bodyKey, timestamp: String(Math.floor(Date.now() / 1000)) }
  const message = Object.entries(payload)
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  return { payload, signature: createHmac('sha256', secret).update(message).digest('hex') }
}
const bareServer = createServer(async (req, res) => {
  const { payload, signature } = await signedPayload(req)
  const body = JSON.stringify(payload)
  const upstream = request(
    upstreamUrl,
    {
      method: 'POST',
      agent: upstreamAgent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-ecosire-signature': signature,
      },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => {
    res.writeHead(503)
    res.end()
  })
  upstream.end(body)
})
const barePort = await listen(bareServer)

// (c) for reference: the same bare forwarder, but calling upstream with globalThis.fetch (undici),
// the client the proxy uses (through ky), to show how much of the gap is the HTTP client.
const fetchServer = createServer(async (req, res) => {
  const { payload, signature } = await signedPayload(req)
  try {
    const answer = await fetch(upstreamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ecosire-signature': signature },
      body: JSON.stringify(payload),
    })
    const text = await answer.text()
    res.writeHead(answer.status, { 'content-type': 'application/json' })
    res.end(text)
  } catch {
    res.writeHead(503)
    res.end()
  }
})
const fetchPort = await listen(fetchServer)

// The load: `concurrency` keep-alive clients posting validate back to back for `seconds`.
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

async function measure(name: string, port: number, path: string, duration: number) {
  let ok = 0
  let failed = 0
  const end = performance.now() + duration * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if ((await validate(port, path)) === 200) ok++
        else failed++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  return { name, perSecond: ok / elapsed, ok, failed, elapsed }
}

const targets = [
  { name: 'licensekit proxy (toNodeHandler)', port: proxyPort, path: '/api/license/validate' },
  { name: 'bare node:http forwarder', port: barePort, path: '/validate' },
  { name: '(reference) bare fetch forwarder', port: fetchPort, path: '/validate' },
]
for (const target of targets) await measure(target.name, target.port, target.path, 0.5)
// Alternate one-second slices, so background load on the machine hits both sides alike.
const totals = targets.map((target) => ({ name: target.name, ok: 0, failed: 0, elapsed: 0 }))
for (let slice = 0; slice < seconds; slice++) {
  for (const [index, target] of targets.entries()) {
    const result = await measure(target.name, target.port, target.path, 1)
    const total = totals[index]
    if (!total) continue
    total.ok += result.ok
    total.failed += result.failed
    total.elapsed += result.elapsed
  }
}
const results = totals.map((total) => ({ ...total, perSecond: total.ok / total.elapsed }))

console.log(
  `validate through the proxy vs a bare forwarder: ${seconds} s each, ${concurrency} keep-alive clients, node ${process.version}`,
)
for (const result of results) {
  console.log(
    `${result.name.padEnd(34)} ${result.perSecond.toFixed(0).padStart(7)} req/s  (${result.ok} ok, ${result.failed} failed in ${result.elapsed.toFixed(1)} s)`,
  )
}
const [viaProxy, bare, viaFetch] = results
if (viaProxy && bare && viaFetch) {
  console.log(`ratio proxy / bare: ${(viaProxy.perSecond / bare.perSecond).toFixed(2)}`)
  console.log(
    `ratio proxy / bare fetch forwarder: ${(viaProxy.perSecond / viaFetch.perSecond).toFixed(2)}`,
  )
}

clientAgent.destroy()
upstreamAgent.destroy()
await Promise.all(
  [proxyServer, bareServer, fetchServer].map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  ),
)
await licenseServer.close()
if (results.some((result) => result.failed > 0)) process.exitCode = 1
