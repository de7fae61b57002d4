import { type ChildProcess, spawn } from 'node:child_process'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FOREIGN } from './test-support/recipes.js'

const appDir = fileURLToPath(new URL('../next-app/', import.meta.url))
const nextBin = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url))
const SECRET = 'next-recipe-secret-0123456789abcdef'
const SHOP = 'https://shop.example.com'

let licenseServer: LicenseServer
let next: ChildProcess
let origin: string
let key: string

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** A POST as a browser on `https://shop.example.com` sends it through a TLS-terminating proxy. */
function post(
  path: string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${origin}${path}`,
      { method, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end(method === 'POST' ? JSON.stringify({ key }) : undefined)
  })
}

async function waitForNext(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (next.exitCode !== null) throw new Error(`next dev exited with ${next.exitCode}`)
    try {
      await fetch(`${origin}/api/license/validate`, { signal: AbortSignal.timeout(30_000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  throw new Error('next dev did not answer in time')
}

beforeAll(async () => {
  licenseServer = createLicenseServer({ db: ':memory:', secret: SECRET, log: false })
  const upstream = await licenseServer.listen({ port: 0, host: '127.0.0.1' })
  ;[key = ''] = licenseServer.store.issue({ prefix: 'SHOP', limit: 3 })
  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  next = spawn(process.execPath, [nextBin, 'dev', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: appDir,
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_ENV: 'development',
      NEXT_TELEMETRY_DISABLED: '1',
      ECOSIRE_LICENSE_SECRET: SECRET,
      LICENSEKIT_UPSTREAM: upstream.apiBase,
      LICENSEKIT_DOMAIN: 'shop.example.com',
    },
  })
  await waitForNext(Date.now() + 90_000)
}, 120_000)

afterAll(async () => {
  if (next?.pid !== undefined && next.exitCode === null) {
    const exited = new Promise((resolve) => next.once('exit', resolve))
    process.kill(-next.pid, 'SIGTERM')
    await exited
  }
  await licenseServer?.close()
})

describe.each([
  ['Node runtime', '/api/license'],
  ['edge runtime', '/api/edge/license'],
])('Next.js route handlers (next dev), %s', (_label, basePath) => {
  it('serves the page’s own POST although request.url is the listening address', async () => {
    const response = await post(`${basePath}/validate`, { host: 'shop.example.com', origin: SHOP })
    expect(response.status).toBe(200)
    const body = JSON.parse(response.body) as { license: { status: string } }
    expect(body.license.status).toBe('active')
  })

  it('answers the preflight from OPTIONS', async () => {
    const response = await post(
      `${basePath}/validate`,
      { host: 'shop.example.com', origin: SHOP, 'access-control-request-method': 'POST' },
      'OPTIONS',
    )
    expect(response.status).toBe(204)
  })

  it('refuses a foreign Origin', async () => {
    const response = await post(`${basePath}/validate`, {
      host: 'shop.example.com',
      origin: FOREIGN,
    })
    expect(response.status).toBe(403)
    expect(JSON.parse(response.body).error.code).toBe('forbidden_origin')
  })
})
