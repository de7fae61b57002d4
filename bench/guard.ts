// Throughput of a bare node:http handler against the same handler behind createLicenseGuard with
// a valid token (cache warm: one token, verified once) and with a cold cache (every request
// carries a token the guard has not seen), in alternating one-second slices; then token
// verification alone, ours (verifyLicenseToken) against jose (jwtVerify), on distinct tokens so
// every call is a cache miss. Prints requests/s, operations/s and the ratios.
// Everything runs in this one process on 127.0.0.1.
// Run: pnpm build && pnpm bench:guard   (BENCH_SECONDS per side, default 5; BENCH_CONCURRENCY, default 32)
import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { importJWK, jwtVerify } from 'jose'
import {
  createLicenseGuard,
  generateSigningKeys,
  type LicenseGuard,
  licenseSubject,
  signLicenseToken,
  verifyLicenseToken,
} from '../packages/core/dist/server/index.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32)
const domain = 'bench.example'
const keys = await generateSigningKeys()
const iat = Math.floor(Date.now() / 1000)
const sub = await licenseSubject('BENCH-A1B2-C3D4-E5F6-G7H8')

/** `count` valid tokens that differ only in `iat`, so none is a cache hit for another. */
async function tokens(count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      signLicenseToken(keys.privateJwk, {
        iss: 'licensekit',
        sub,
        aud: domain,
        st: 'active',
        lexp: null,
        ent: { export: true, seats: 5 },
        iat: iat - i,
        exp: iat + 86_400,
      }),
    ),
  )
}

const body = JSON.stringify({ rows: [1, 2, 3] })
function answer(res: Parameters<Parameters<typeof createServer>[0]>[1]) {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(body)
}

/** The guard reads only headers: hand it the Node request's, no `Request` built. */
function guarded(guard: LicenseGuard): Server {
  return createServer(async (req: IncomingMessage, res) => {
    const result = await guard({
      headers: { get: (name) => (req.headers[name] as string | undefined) ?? null },
    })
    if (result.ok) answer(res)
    else {
      res.writeHead(result.response.status)
      res.end()
    }
  })
}

async function listen(server: Server): Promise<number> {
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const warmToken = (await tokens(1))[0] ?? ''
const coldTokens = await tokens(20_000)
const bare = createServer((_req, res) => answer(res))
const warm = guarded(createLicenseGuard({ keys: keys.publicJwk, domain }))
// A one-entry cache and a different token on every request: each one is verified.
const cold = guarded(createLicenseGuard({ keys: keys.publicJwk, domain, cacheSize: 1 }))
const servers = [bare, warm, cold]
const [barePort, warmPort, coldPort] = await Promise.all(servers.map(listen))

const clientAgent = new Agent({ keepAlive: true, maxSockets: concurrency })
let coldIndex = 0
function get(port: number, token: () => string | null): Promise<number> {
  return new Promise((resolve) => {
    const value = token()
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/export',
        agent: clientAgent,
        headers: value ? { authorization: `License ${value}` } : {},
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', () => resolve(0))
    req.end()
  })
}

interface Target {
  name: string
  port: number
  token: () => string | null
}
const targets: Target[] = [
  // The same header as the warm run, ignored: both sides parse the same requests.
  { name: 'bare node:http handler', port: barePort ?? 0, token: () => warmToken },
  { name: 'behind the guard, cache warm', port: warmPort ?? 0, token: () => warmToken },
  {
    name: 'behind the guard, cold cache',
    port: coldPort ?? 0,
    token: () => coldTokens[coldIndex++ % coldTokens.length] ?? null,
  },
]

async function measure(target: Target, duration: number) {
  let ok = 0
  let failed = 0
  const end = performance.now() + duration * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if ((await get(target.port, target.token)) === 200) ok++
        else failed++
      }
    }),
  )
  return { ok, failed, elapsed: (performance.now() - started) / 1000 }
}

for (const target of targets) await measure(target, 0.5)
const totals = targets.map((target) => ({ name: target.name, ok: 0, failed: 0, elapsed: 0 }))
for (let slice = 0; slice < seconds; slice++) {
  for (const [index, target] of targets.entries()) {
    const result = await measure(target, 1)
    const total = totals[index]
    if (!total) continue
    total.ok += result.ok
    total.failed += result.failed
    total.elapsed += result.elapsed
  }
}
const rates = totals.map((total) => total.ok / total.elapsed)

console.log(
  `guarded route vs bare handler: ${seconds} s each, ${concurrency} keep-alive clients, node ${process.version}`,
)
for (const [index, total] of totals.entries()) {
  console.log(
    `${total.name.padEnd(30)} ${(rates[index] ?? 0).toFixed(0).padStart(7)} req/s  (${total.ok} ok, ${total.failed} failed in ${total.elapsed.toFixed(1)} s)`,
  )
}
const [bareRate = 0, warmRate = 0, coldRate = 0] = rates
console.log(`ratio warm / bare: ${(warmRate / bareRate).toFixed(2)}  (goal ≥ 0.9)`)
console.log(`ratio cold / bare: ${(coldRate / bareRate).toFixed(2)}`)

clientAgent.destroy()
await Promise.all(
  servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  ),
)

// Verification alone, on distinct tokens (nothing cached but the imported public key, on both sides).
const joseKey = await importJWK(keys.publicJwk, 'ES256')
const ours = (token: string) =>
  verifyLicenseToken(token, { keys: keys.publicJwk, audience: domain }).then((result) => {
    if (!result.ok) throw new Error(`refused: ${result.reason}`)
  })
const theirs = (token: string) =>
  jwtVerify(token, joseKey, {
    algorithms: ['ES256'],
    typ: 'license+jwt',
    issuer: 'licensekit',
    audience: domain,
  }).then(() => undefined)

/** Operations in one slice of `ms`, 32 in flight, on distinct tokens. */
async function slice(verify: (token: string) => Promise<void>, ms: number) {
  let ops = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    await Promise.all(
      Array.from({ length: 32 }, (_, i) => verify(coldTokens[(ops + i) % coldTokens.length] ?? '')),
    )
    ops += 32
  }
  return { ops, elapsed: (performance.now() - start) / 1000 }
}

await slice(ours, 500)
await slice(theirs, 500)
// Alternate one-second slices, so background load hits both alike.
const sums = { ours: { ops: 0, elapsed: 0 }, theirs: { ops: 0, elapsed: 0 } }
for (let round = 0; round < seconds * 2; round++) {
  for (const [name, verify] of [
    ['ours', ours],
    ['theirs', theirs],
  ] as const) {
    const result = await slice(verify, 1000)
    sums[name].ops += result.ops
    sums[name].elapsed += result.elapsed
  }
}
const oursRate = sums.ours.ops / sums.ours.elapsed
const theirsRate = sums.theirs.ops / sums.theirs.elapsed
console.log(
  `token verification: ${seconds * 2} s each in alternating 1 s slices, 32 in flight, distinct tokens`,
)
console.log(`${'verifyLicenseToken (ours)'.padEnd(30)} ${oursRate.toFixed(0).padStart(7)} ops/s`)
console.log(`${'jose jwtVerify'.padEnd(30)} ${theirsRate.toFixed(0).padStart(7)} ops/s`)
console.log(`ratio ours / jose: ${(oursRate / theirsRate).toFixed(2)}  (goal ≥ 1.0)`)
if (totals.some((total) => total.failed > 0)) process.exitCode = 1
