import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSigningKeys } from '@licensekit/core/server'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createDemoServer,
  type DemoServer,
  type DemoServerOptions,
  type ProxyExchange,
} from './demo-server.js'
import { CONFIG_MARKER } from './inject-config.js'

const SECRET = 'demo-server-test-secret-0123456789'
const OUTSIDE = 'TOP-SECRET-FILE-CONTENTS'

/** A raw request line, so `..` reaches the server exactly as written (fetch would normalise it). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('createDemoServer', () => {
  let dir: string
  let licenseServer: LicenseServer
  let upstream: string
  let demo: DemoServer
  let receiptKeys: Awaited<ReturnType<typeof generateSigningKeys>>
  const exchanges: ProxyExchange[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'licensekit-demo-server-'))
    const dist = join(dir, 'dist')
    mkdirSync(join(dist, 'assets'), { recursive: true })
    writeFileSync(
      join(dist, 'index.html'),
      `<!doctype html><html><head>${CONFIG_MARKER}</head><body><div id="root"></div></body></html>`,
    )
    writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log("app")')
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *')
    writeFileSync(join(dir, 'secret.txt'), OUTSIDE)
    licenseServer = createLicenseServer({
      db: join(dir, 'licenses.db'),
      secret: SECRET,
      log: false,
    })
    upstream = (await licenseServer.listen()).apiBase
    receiptKeys = await generateSigningKeys()
    demo = await createDemoServer({
      secret: SECRET,
      upstream,
      domain: 'demo.test',
      receiptKeys,
      heartbeatIntervalMs: 90_000,
      distDir: dist,
      onProxyExchange: (exchange) => exchanges.push(exchange),
    })
  })

  afterAll(async () => {
    await demo?.close()
    await licenseServer?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('serves index.html with the public configuration and nothing secret', async () => {
    const response = await fetch(`${demo.url}/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await response.text()
    expect(html).not.toContain(CONFIG_MARKER)
    const json = /id="licensekit-config">(.*?)<\/script>/.exec(html)?.[1]
    expect(JSON.parse(json ?? 'null')).toEqual({
      endpoint: '/api/license',
      domain: 'demo.test',
      heartbeatIntervalMs: 90_000,
      receiptPublicJwk: {
        kty: 'EC',
        crv: 'P-256',
        x: receiptKeys.publicJwk.x,
        y: receiptKeys.publicJwk.y,
      },
      liveEvents: false,
      binding: 'site',
    })
    expect(html).not.toContain(SECRET)
    expect(html).not.toContain(receiptKeys.privateJwk.d)
    expect(demo.clientConfig.receiptPublicJwk).not.toHaveProperty('d')
  })

  it.each(['/settings', '/settings/', '/reports/2026/q1', '/index.html'])(
    'answers the client-side route %s with index.html',
    async (path) => {
      const response = await fetch(`${demo.url}${path}`)
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('id="licensekit-config"')
    },
  )

  it('serves built files, hashed assets as immutable', async () => {
    const asset = await fetch(`${demo.url}/assets/app-1234.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(await asset.text()).toBe('console.log("app")')
    const robots = await fetch(`${demo.url}/robots.txt`)
    expect(robots.headers.get('cache-control')).toBe('no-cache')
    expect(await robots.text()).toBe('User-agent: *')
  })

  it('answers 404, not the page, for a missing file with an extension', async () => {
    const response = await fetch(`${demo.url}/assets/missing.js`)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('licensekit-config')
  })

  it('answers HEAD without a body and refuses other methods on pages', async () => {
    const head = await fetch(`${demo.url}/settings`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const post = await fetch(`${demo.url}/settings`, { method: 'POST', body: 'x' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it.each([
    '/../secret.txt',
    '/../../secret.txt',
    '/assets/../../secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/secret.txt%00.html',
  ])('never serves a file outside dist/ for %s', async (path) => {
    const { status, body } = await rawGet(demo.port, path)
    expect(body).not.toContain(OUTSIDE)
    expect([400, 404]).toContain(status)
  })

  it('mounts the proxy at /api/license: a key activates with a token', async () => {
    const [key = ''] = licenseServer.store.issue({ prefix: 'DEMO', limit: 2 })
    exchanges.length = 0
    const response = await fetch(`${demo.url}/api/license/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: demo.url },
      body: JSON.stringify({ key: key.toLowerCase().replaceAll('-', '') }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { ok: boolean; license: unknown; token?: string }
    expect(body.ok).toBe(true)
    expect(body.license).toMatchObject({ status: 'active', activationsCount: 1 })
    expect(typeof body.token).toBe('string')
    expect(licenseServer.store.get(key)?.domains).toEqual(['demo.test'])
    expect(exchanges).toEqual([
      expect.objectContaining({ method: 'POST', path: '/api/license/activate', status: 200 }),
    ])
  })

  it('refuses a key of another prefix than DEMO- before anything is signed', async () => {
    const [key = ''] = licenseServer.store.issue({ prefix: 'SHOP', limit: 2 })
    const response = await fetch(`${demo.url}/api/license/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: demo.url },
      body: JSON.stringify({ key }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_key_format' } })
    expect(licenseServer.store.get(key)?.domains).toEqual([])
  })

  it('serves the premium export to the token of a license with export, and only to it', async () => {
    const tokenFor = async (features: string[]) => {
      const [key = ''] = licenseServer.store.issue({ prefix: 'DEMO', limit: 1, features, seats: 2 })
      const response = await fetch(`${demo.url}/api/license/activate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: demo.url },
        body: JSON.stringify({ key }),
      })
      return ((await response.json()) as { token: string }).token
    }
    const exportCsv = (token?: string) =>
      fetch(`${demo.url}/api/premium/export.csv`, {
        headers: token ? { authorization: `License ${token}` } : {},
      })
    const granted = await exportCsv(await tokenFor(['export', 'forecast']))
    expect(granted.status).toBe(200)
    expect(granted.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(await granted.text()).toMatch(/^month,orders,revenue_usd\n/)
    expect((await exportCsv()).status).toBe(401)
    const withoutExport = await tokenFor(['forecast'])
    expect((await exportCsv(withoutExport)).status).toBe(403)
    const forecast = await fetch(`${demo.url}/api/premium/forecast`, {
      headers: { authorization: `License ${withoutExport}` },
    })
    expect(forecast.status).toBe(200)
  })

  it("allows the server's own origins and refuses any other", async () => {
    const call = (origin: string) =>
      fetch(`${demo.url}/api/license/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ key: 'DEMO-AAAA-BBBB-CCCC-DDDD' }),
      })
    const own = await call(`http://127.0.0.1:${demo.port}`)
    expect(own.status).toBe(404)
    const foreign = await call('https://evil.example')
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } })
  })
})

describe('createDemoServer without a build', () => {
  it('serves the proxy alone when distDir is null', async () => {
    const demo = await createDemoServer({
      secret: SECRET,
      upstream: 'http://127.0.0.1:9/api',
      domain: 'demo.test',
      distDir: null,
    })
    try {
      expect((await fetch(`${demo.url}/`)).status).toBe(404)
      const proxied = await fetch(`${demo.url}/api/license/validate`, { method: 'GET' })
      expect(proxied.status).toBe(405)
      expect(demo.clientConfig.receiptPublicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' })
    } finally {
      await demo.close()
    }
  })

  /** A demo server with the proxy alone, `fn` run against it, and the server closed after. */
  async function withProxyOnly<T>(
    extra: Partial<DemoServerOptions>,
    fn: (demo: DemoServer) => Promise<T>,
  ): Promise<T> {
    const demo = await createDemoServer({
      secret: SECRET,
      upstream: 'http://127.0.0.1:9/api',
      domain: 'demo.test',
      distDir: null,
      ...extra,
    })
    try {
      return await fn(demo)
    } finally {
      await demo.close()
    }
  }

  it('turns the rate limits off with rateLimit: false, and keeps them by default', async () => {
    const statuses = (extra: Partial<DemoServerOptions>) =>
      withProxyOnly(extra, async (demo) => {
        const answers = new Set<number>()
        for (let index = 0; index < 61; index++) {
          answers.add((await fetch(`${demo.url}/api/license/validate`)).status)
        }
        return answers
      })
    expect(await statuses({ rateLimit: false })).toEqual(new Set([405]))
    expect(await statuses({})).toEqual(new Set([405, 429]))
  })

  it('tells the browser to listen for live events only when the proxy serves them', async () => {
    await withProxyOnly({ webhookSecret: 'a-webhook-secret-long-enough-0123' }, async (demo) => {
      expect(demo.clientConfig.liveEvents).toBe(true)
      const events = await fetch(`${demo.url}/api/license/events?sub=${'a'.repeat(64)}`)
      expect(events.status).toBe(200)
      await events.body?.cancel()
    })
    await withProxyOnly({}, async (demo) => {
      expect(demo.clientConfig.liveEvents).toBe(false)
      expect((await fetch(`${demo.url}/api/license/events`)).status).toBe(404)
    })
  })

  it('refuses to start on a missing dist/ with a message saying to build', async () => {
    await expect(
      createDemoServer({
        secret: SECRET,
        upstream: 'http://127.0.0.1:9/api',
        domain: 'demo.test',
        distDir: join(tmpdir(), 'licensekit-no-such-dist'),
      }),
    ).rejects.toThrow(/vite build/)
  })

  it('refuses a short secret before listening', async () => {
    await expect(
      createDemoServer({
        secret: 'short',
        upstream: 'http://127.0.0.1:9/api',
        domain: 'demo.test',
        distDir: null,
      }),
    ).rejects.toMatchObject({ code: 'invalid_config' })
  })
})
