import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLicenseServer, type LicenseServer } from '@licensekit/license-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateSigningKeys } from '../../tokens/keys.js'
import { verifyLicenseToken } from '../../tokens/verify-license-token.js'
import { createLicenseGuard, requireEntitlement } from '../guard/create-license-guard.js'
import { createLicenseProxy } from './create-license-proxy.js'
import { toNodeHandler } from './node-handler.js'
import type { LicenseProxyOptions } from './options.js'
import { closeServer } from './test-support/servers.js'

const SECRET = 'integration-secret-0123456789abcdef'
const APP = 'https://app.example'

let licenseServer: LicenseServer
let apiBase: string
const proxies: Server[] = []

beforeEach(async () => {
  licenseServer = createLicenseServer({ db: ':memory:', secret: SECRET, log: false })
  ;({ apiBase } = await licenseServer.listen({ port: 0, host: '127.0.0.1' }))
})

afterEach(async () => {
  await Promise.all(proxies.splice(0).map(closeServer))
  await licenseServer.close()
})

/** The proxy on its own 127.0.0.1 port, in front of the license server; returns a client. */
async function startProxy(overrides: Partial<LicenseProxyOptions> = {}) {
  const proxy = createLicenseProxy({
    secret: SECRET,
    domain: (request) => request.headers.get('x-tenant') ?? 'shop.example',
    upstream: apiBase,
    allowedOrigins: [APP],
    rateLimit: false,
    log: false,
    ...overrides,
  })
  const server = createServer(toNodeHandler(proxy))
  proxies.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const call = async (action: string, body: object, tenant?: string) => {
    const response = await fetch(`${origin}/api/license/${action}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: APP,
        ...(tenant ? { 'x-tenant': tenant } : {}),
      },
      body: JSON.stringify(body),
    })
    const answer = (await response.json()) as {
      ok: boolean
      license?: Record<string, unknown> | null
      token?: string
      error?: { code: string }
    }
    return { status: response.status, answer, headers: response.headers }
  }
  return Object.assign(call, { origin })
}

function issue(limit: number): string {
  const [key] = licenseServer.store.issue({ prefix: 'SHOP', limit })
  if (!key) throw new Error('no key issued')
  return key
}

describe('proxy + local license server over 127.0.0.1', () => {
  it('runs the whole lifecycle', async () => {
    const call = await startProxy()
    const key = issue(1)
    const masked = `SHOP-****-****-****-${key.slice(-4)}`

    const validated = await call('validate', { key })
    expect(validated.status).toBe(200)
    expect(validated.answer.license).toMatchObject({
      key: masked,
      status: 'active',
      activationsCount: 0,
      activationsLimit: 1,
    })
    expect(validated.headers.get('access-control-allow-origin')).toBe(APP)

    const activated = await call('activate', { key: key.toLowerCase() })
    expect(activated.status).toBe(200)
    expect(activated.answer.license).toMatchObject({ key: masked, activationsCount: 1 })
    expect(licenseServer.store.get(key)?.domains).toEqual(['shop.example'])

    const again = await call('activate', { key })
    expect(again.status).toBe(200)
    expect(again.answer.license).toMatchObject({ activationsCount: 1 })

    const full = await call('activate', { key }, 'other.example')
    expect(full.status).toBe(409)
    expect(full.answer.error?.code).toBe('limit_reached')

    const freed = await call('deactivate', { key })
    expect(freed.status).toBe(200)
    expect(freed.answer.license).toBeNull()
    expect(licenseServer.store.get(key)?.activationsCount).toBe(0)

    const notHeld = await call('deactivate', { key })
    expect(notHeld.status).toBe(409)
    expect(notHeld.answer.error?.code).toBe('not_activated')

    expect((await call('activate', { key }, 'other.example')).status).toBe(200)
  })

  it.each([
    ['revoked', (server: LicenseServer, key: string) => server.store.revoke(key)],
    ['suspended', (server: LicenseServer, key: string) => server.store.suspend(key)],
    ['expired', (server: LicenseServer, key: string) => server.store.expire(key)],
  ])('answers 403 %s', async (code, change) => {
    const call = await startProxy()
    const key = issue(2)
    expect((await call('activate', { key })).status).toBe(200)
    change(licenseServer, key)
    for (const action of ['validate', 'activate']) {
      const refused = await call(action, { key })
      expect(refused.status).toBe(403)
      expect(refused.answer.error?.code).toBe(code)
    }
  })

  it.each([
    ['revoked', (server: LicenseServer, key: string) => server.store.revoke(key)],
    ['suspended', (server: LicenseServer, key: string) => server.store.suspend(key)],
    ['expired', (server: LicenseServer, key: string) => server.store.expire(key)],
  ])(
    'frees the slot of a %s license on deactivate (200), as the local server decides',
    async (_code, change) => {
      const call = await startProxy()
      const key = issue(2)
      expect((await call('activate', { key })).status).toBe(200)
      expect((await call('activate', { key }, 'other.example')).status).toBe(200)
      change(licenseServer, key)
      const freed = await call('deactivate', { key })
      expect(freed.status).toBe(200)
      expect(freed.answer).toMatchObject({ ok: true, license: null })
      expect(licenseServer.store.get(key)?.domains).toEqual(['other.example'])
    },
  )

  describe("binding: 'device'", () => {
    const devices = [
      'aaaaaaaaaaaaaaaaaaaaaaaaaa',
      'bbbbbbbbbbbbbbbbbbbbbbbbbb',
      'cccccccccccccccccccccccccc',
    ]
    const [first = '', second = '', third = ''] = devices

    it('gives a limit-2 key one slot per device: two activate, the third gets limit_reached', async () => {
      const call = await startProxy({ domain: 'shop.example', binding: 'device' })
      const key = issue(2)
      expect((await call('activate', { key, device: first })).answer.license).toMatchObject({
        activationsCount: 1,
        activationsLimit: 2,
      })
      expect((await call('activate', { key, device: second })).answer.license).toMatchObject({
        activationsCount: 2,
      })
      const full = await call('activate', { key, device: third })
      expect(full.status).toBe(409)
      expect(full.answer.error?.code).toBe('limit_reached')
      expect(licenseServer.store.get(key)?.domains).toEqual([
        `${first}.shop.example`,
        `${second}.shop.example`,
      ])
    })

    it("frees exactly the deactivated device's slot; the other device keeps its own", async () => {
      const call = await startProxy({ domain: 'shop.example', binding: 'device' })
      const key = issue(2)
      await call('activate', { key, device: first })
      await call('activate', { key, device: second })

      const freed = await call('deactivate', { key, device: first })
      expect(freed.status).toBe(200)
      expect(licenseServer.store.get(key)?.domains).toEqual([`${second}.shop.example`])
      const notHeld = await call('deactivate', { key, device: first })
      expect(notHeld.answer.error?.code).toBe('not_activated')

      const stillThere = await call('validate', { key, device: second })
      expect(stillThere.answer.license).toMatchObject({ status: 'active', activationsCount: 1 })
      const again = await call('activate', { key, device: second })
      expect(again.answer.license).toMatchObject({ activationsCount: 1 })
      expect((await call('activate', { key, device: third })).status).toBe(200)
      expect(licenseServer.store.get(key)?.domains).toEqual([
        `${second}.shop.example`,
        `${third}.shop.example`,
      ])
    })
  })

  it('answers 404 not_found for a well-formed unknown key', async () => {
    const call = await startProxy()
    const refused = await call('validate', { key: 'SHOP-0000-0000-0000-0000' })
    expect(refused.status).toBe(404)
    expect(refused.answer.error?.code).toBe('not_found')
  })

  it('answers 502 upstream_misconfigured for a wrong secret', async () => {
    const call = await startProxy({ secret: 'not-the-secret-0123456789abcdef' })
    const refused = await call('validate', { key: issue(1) })
    expect(refused.status).toBe(502)
    expect(refused.answer.error?.code).toBe('upstream_misconfigured')
  })

  it('answers 502 upstream_misconfigured for a clock more than 5 minutes off', async () => {
    const call = await startProxy({ now: () => Date.now() + 10 * 60_000 })
    const refused = await call('validate', { key: issue(1) })
    expect(refused.status).toBe(502)
    expect(refused.answer.error?.code).toBe('upstream_misconfigured')
  })

  it('answers 503 upstream_unavailable when the license server is down', async () => {
    const call = await startProxy({ timeoutMs: 2000 })
    const key = issue(1)
    await licenseServer.close()
    const refused = await call('validate', { key })
    expect(refused.status).toBe(503)
    expect(refused.answer.error?.code).toBe('upstream_unavailable')
  })

  it('signs tokens the browser can verify', async () => {
    const keys = await generateSigningKeys()
    const call = await startProxy({ signingKeys: [keys.privateJwk] })
    const { answer } = await call('validate', { key: issue(1) })
    const verified = await verifyLicenseToken(answer.token ?? '', {
      keys: keys.publicJwk,
      audience: 'shop.example',
    })
    expect(verified).toMatchObject({
      ok: true,
      claims: { iss: 'licensekit', aud: 'shop.example', st: 'active', lexp: null, ent: {} },
    })
  })

  it('carries the license server features and seats into the token a guard accepts over HTTP', async () => {
    const keys = await generateSigningKeys()
    const call = await startProxy({ signingKeys: [keys.privateJwk] })
    const [pro = '', basic = ''] = [
      licenseServer.store.issue({ prefix: 'PRO', limit: 1, features: ['export'], seats: 5 })[0],
      licenseServer.store.issue({ prefix: 'BASIC', limit: 1 })[0],
    ]
    const guard = createLicenseGuard({
      keys: `${call.origin}/api/license/jwks`,
      domain: 'shop.example',
    })
    const route = async (token: string | undefined) => {
      const request = new Request('https://shop.example/api/export', {
        headers: { authorization: `License ${token}` },
      })
      return requireEntitlement(await guard(request), 'export')
    }
    const proAnswer = (await call('validate', { key: pro })).answer
    expect(proAnswer.license?.entitlements).toEqual({ export: true, seats: 5 })
    expect(await route(proAnswer.token)).toMatchObject({
      ok: true,
      license: { status: 'active', entitlements: { export: true, seats: 5 } },
    })
    const basicAnswer = (await call('validate', { key: basic })).answer
    expect(basicAnswer.license?.entitlements).toEqual({})
    const refused = await route(basicAnswer.token)
    expect(refused.ok).toBe(false)
    expect(refused.ok ? 0 : refused.response.status).toBe(403)
  })

  it('runs installation mode end to end', async () => {
    const tenants = new Map<string, string>()
    const tenantOf = (request: Request) => request.headers.get('x-tenant') ?? 'shop.example'
    const call = await startProxy({
      resolveKey: async (request) => tenants.get(tenantOf(request)) ?? null,
      onActivate: (request, key) => {
        tenants.set(tenantOf(request), key)
      },
      onDeactivate: (request) => {
        tenants.delete(tenantOf(request))
      },
    })
    const key = issue(1)
    expect((await call('validate', {})).answer).toMatchObject({ ok: true, license: null })
    expect((await call('activate', { key })).status).toBe(200)
    expect(tenants.get('shop.example')).toBe(key)
    expect((await call('validate', {})).answer.license).toMatchObject({ status: 'active' })
    expect((await call('deactivate', {})).answer).toMatchObject({ ok: true, license: null })
    expect(tenants.size).toBe(0)
    expect(licenseServer.store.get(key)?.activationsCount).toBe(0)
  })
})
