import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NextServer, startNext } from './test-support/next-server.js'
import { FOREIGN } from './test-support/recipes.js'

const appDir = fileURLToPath(new URL('../next-app/', import.meta.url))
const SECRET = 'next-recipe-secret-0123456789abcdef'
const SHOP = 'https://shop.example.com'

let licenseServer: LicenseServer
let next: NextServer
let origin: string
let key: string

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

beforeAll(async () => {
  licenseServer = createLicenseServer({ db: ':memory:', secret: SECRET, log: false })
  const upstream = await licenseServer.listen({ port: 0, host: '127.0.0.1' })
  ;[key = ''] = licenseServer.store.issue({ prefix: 'SHOP', limit: 3 })
  next = await startNext({
    appDir,
    command: 'dev',
    readyPath: '/api/license/validate',
    env: {
      ECOSIRE_LICENSE_SECRET: SECRET,
      LICENSEKIT_UPSTREAM: upstream.apiBase,
      LICENSEKIT_DOMAIN: 'shop.example.com',
    },
  })
  origin = next.origin
}, 120_000)

afterAll(async () => {
  await next?.stop()
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
