import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { licenseSubject } from '../../tokens/claims.js'
import { generateSigningKeys } from '../../tokens/keys.js'
import { verifyLicenseToken } from '../../tokens/verify-license-token.js'
import { createLicenseProxy } from './create-license-proxy.js'
import type { LicenseProxyOptions } from './options.js'
import {
  bodyOf,
  DOMAIN,
  errorCodeOf,
  fakeUpstream,
  json,
  KEY,
  LICENSE,
  NOW,
  ORIGIN,
  post,
  testOptions,
} from './test-support/fake-upstream.js'

const keys = await generateSigningKeys()
const older = await generateSigningKeys()

function setup(
  respond?: Parameters<typeof fakeUpstream>[0],
  overrides: Partial<LicenseProxyOptions> = {},
) {
  const upstream = fakeUpstream(respond)
  const logs: string[] = []
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, {
      signingKeys: [keys.privateJwk, older.privateJwk],
      log: (line) => logs.push(line),
      ...overrides,
    }),
  )
  return { proxy, logs }
}

function withLicense(extra: Record<string, unknown>) {
  return () => json(200, { valid: true, license: { ...LICENSE, ...extra } })
}

function jwksRequest(method = 'GET'): Request {
  return new Request(`${ORIGIN}/api/license/jwks`, { method })
}

async function tokenOf(response: Response): Promise<string> {
  const body = await bodyOf(response)
  expect(typeof body.token).toBe('string')
  return body.token as string
}

describe('license tokens from the proxy', () => {
  it.each(['validate', 'activate'])('signs the %s answer with the first key', async (action) => {
    const { proxy } = setup()
    const token = await tokenOf(await proxy(post(action)))
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'ES256',
      typ: 'license+jwt',
      kid: keys.publicJwk.kid,
    })
    const verified = await verifyLicenseToken(token, {
      keys: keys.publicJwk,
      audience: DOMAIN,
      now: NOW,
    })
    expect(verified).toEqual({
      ok: true,
      claims: {
        iss: 'licensekit',
        sub: await licenseSubject(KEY),
        aud: DOMAIN,
        st: 'active',
        lexp: Date.parse(LICENSE.expiresAt) / 1000,
        ent: {},
        iat: NOW / 1000,
        exp: NOW / 1000 + 86_400,
      },
    })
  })

  it('jose verifies the token through the JWKS endpoint', async () => {
    const { proxy } = setup()
    const token = await tokenOf(await proxy(post('validate')))
    const jwks = (await (await proxy(jwksRequest())).json()) as Parameters<
      typeof createLocalJWKSet
    >[0]
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: ['ES256'],
      typ: 'license+jwt',
      issuer: 'licensekit',
      audience: DOMAIN,
      currentDate: new Date(NOW),
    })
    expect(payload.sub).toBe(await licenseSubject(KEY))
  })

  it("binds the token to the device's name under binding: 'device'", async () => {
    const device = 'k7q2m4x6p3r5t2v7w4y6z3a5bc'
    const { proxy } = setup(undefined, { binding: 'device' })
    const token = await tokenOf(await proxy(post('validate', { key: KEY, device })))
    const verified = await verifyLicenseToken(token, {
      keys: keys.publicJwk,
      audience: `${device}.${DOMAIN}`,
      now: NOW,
    })
    expect(verified).toMatchObject({ ok: true, claims: { aud: `${device}.${DOMAIN}` } })
  })

  it('keeps tokens of the previous key valid after a rotation', async () => {
    const before = setup(undefined, { signingKeys: [older.privateJwk] })
    const oldToken = await tokenOf(await before.proxy(post('validate')))
    const after = setup()
    const jwks = (await (await after.proxy(jwksRequest())).json()) as Parameters<
      typeof createLocalJWKSet
    >[0]
    const options = { audience: DOMAIN, currentDate: new Date(NOW) }
    await expect(jwtVerify(oldToken, createLocalJWKSet(jwks), options)).resolves.toBeDefined()
    const newToken = await tokenOf(await after.proxy(post('validate')))
    expect(decodeProtectedHeader(newToken).kid).toBe(keys.publicJwk.kid)
  })

  it('publishes the public parts of every key at GET {basePath}/jwks, cacheable for 5 minutes', async () => {
    const { proxy } = setup()
    const response = await proxy(jwksRequest())
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=300')
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await response.json()) as { keys: Record<string, unknown>[] }
    expect(body).toEqual({ keys: [keys.publicJwk, older.publicJwk] })
    for (const jwk of body.keys) {
      expect(jwk).toMatchObject({ alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' })
      expect(jwk).not.toHaveProperty('d')
    }
  })

  it('answers HEAD and OPTIONS on the JWKS, refuses other methods', async () => {
    const { proxy } = setup()
    expect((await proxy(jwksRequest('HEAD'))).status).toBe(200)
    expect((await proxy(jwksRequest('OPTIONS'))).status).toBe(204)
    const posted = await proxy(jwksRequest('POST'))
    expect(posted.status).toBe(405)
    expect(posted.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('has no JWKS without signing keys', async () => {
    const { proxy } = setup(undefined, { signingKeys: undefined })
    expect((await proxy(jwksRequest())).status).toBe(404)
    expect((await bodyOf(await proxy(post('validate')))).token).toBeUndefined()
  })

  it('uses the issuer and tokenTtlSeconds options', async () => {
    const { proxy } = setup(undefined, { issuer: 'shop-backend', tokenTtlSeconds: 600 })
    const token = await tokenOf(await proxy(post('validate')))
    const verified = await verifyLicenseToken(token, {
      keys: keys.publicJwk,
      audience: DOMAIN,
      issuer: 'shop-backend',
      now: NOW,
    })
    expect(verified).toMatchObject({
      ok: true,
      claims: { iss: 'shop-backend', exp: NOW / 1000 + 600 },
    })
  })

  it('carries a null lexp for a perpetual license', async () => {
    const { proxy } = setup(withLicense({ expiresAt: null }))
    const token = await tokenOf(await proxy(post('validate')))
    const verified = await verifyLicenseToken(token, {
      keys: keys.publicJwk,
      audience: DOMAIN,
      now: NOW,
    })
    expect(verified).toMatchObject({ ok: true, claims: { lexp: null } })
  })

  it('never contains the key itself', async () => {
    const { proxy } = setup()
    const [, claims = ''] = (await tokenOf(await proxy(post('validate')))).split('.')
    expect(atob(claims.replace(/-/g, '+').replace(/_/g, '/'))).not.toContain('A1B2')
  })

  it('is absent from deactivate and from failures', async () => {
    const { proxy } = setup()
    expect((await bodyOf(await proxy(post('deactivate')))).token).toBeUndefined()
    const failing = setup(() => json(403, { message: 'License revoked' }))
    expect((await bodyOf(await failing.proxy(post('validate')))).token).toBeUndefined()
  })

  it.each<[string, unknown]>([
    ['a public key', [keys.publicJwk]],
    ['a single JWK instead of a list', keys.privateJwk],
    ['an empty list', []],
    ['an RSA-shaped key', [{ kty: 'RSA', n: 'x', e: 'AQAB', d: 'x' }]],
    ['a string', ['secret']],
    ['null', [null]],
  ])('refuses %s as signingKeys at construction', (_label, signingKeys) => {
    const upstream = fakeUpstream()
    expect(() =>
      createLicenseProxy(
        testOptions(upstream.fetch, { signingKeys: signingKeys as readonly JsonWebKey[] }),
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid_config' }))
  })

  it.each<[string, Partial<LicenseProxyOptions>]>([
    ['an empty issuer', { issuer: '' }],
    ['a zero tokenTtlSeconds', { tokenTtlSeconds: 0 }],
    ['a fractional tokenTtlSeconds', { tokenTtlSeconds: 1.5 }],
    ['a non-function entitlements', { entitlements: {} as never }],
  ])('refuses %s at construction', (_label, overrides) => {
    const upstream = fakeUpstream()
    expect(() => createLicenseProxy(testOptions(upstream.fetch, overrides))).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    )
  })

  it('answers 502 upstream_misconfigured when a well-shaped key fails to import', async () => {
    const broken = { ...keys.privateJwk, x: keys.privateJwk.y, y: keys.privateJwk.x }
    const { proxy, logs } = setup(undefined, { signingKeys: [broken] })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(502)
    expect(await errorCodeOf(response)).toBe('upstream_misconfigured')
    expect(logs.join('\n')).toMatch(/invalid_config.*signing key/)
  })
})

describe('entitlements in the answer and the token', () => {
  async function answerAndClaims(proxy: ReturnType<typeof setup>['proxy']) {
    const body = await bodyOf(await proxy(post('validate')))
    const verified = await verifyLicenseToken(body.token as string, {
      keys: keys.publicJwk,
      audience: DOMAIN,
      now: NOW,
    })
    if (!verified.ok) throw new Error(verified.reason)
    return { license: body.license as Record<string, unknown>, ent: verified.claims.ent }
  }

  it('is {} for a license without features or seats', async () => {
    const { license, ent } = await answerAndClaims(setup().proxy)
    expect(license.entitlements).toEqual({})
    expect(ent).toEqual({})
  })

  it('maps features to true and seats to a number by default', async () => {
    const { proxy } = setup(withLicense({ features: ['export', 'forecast'], seats: 5 }))
    const { license, ent } = await answerAndClaims(proxy)
    expect(license.entitlements).toEqual({ export: true, forecast: true, seats: 5 })
    expect(ent).toEqual({ export: true, forecast: true, seats: 5 })
    expect(license).not.toHaveProperty('features')
    expect(license).not.toHaveProperty('seats')
  })

  it('ignores feature entries that are not strings and seats that are not counts', async () => {
    const { proxy } = setup(withLicense({ features: ['export', 7, null], seats: -1 }))
    expect((await answerAndClaims(proxy)).ent).toEqual({ export: true })
  })

  it('uses the entitlements option on the upstream license', async () => {
    const seen: unknown[] = []
    const { proxy } = setup(withLicense({ plan: 'pro' }), {
      entitlements: async (upstreamLicense) => {
        seen.push(upstreamLicense)
        return { export: upstreamLicense.plan === 'pro', seats: 3 }
      },
    })
    const { license, ent } = await answerAndClaims(proxy)
    expect(ent).toEqual({ export: true, seats: 3 })
    expect(license.entitlements).toEqual({ export: true, seats: 3 })
    expect(seen[0]).toMatchObject({ plan: 'pro', status: 'active', expiresAt: LICENSE.expiresAt })
  })

  it.each<[string, unknown]>([
    ['a string value', { plan: 'pro' }],
    ['a nested object', { limits: { seats: 3 } }],
    ['an array', ['export']],
    ['null', null],
    ['NaN', { seats: Number.NaN }],
  ])('answers 502 upstream_misconfigured when entitlements returns %s', async (_label, value) => {
    const { proxy, logs } = setup(undefined, { entitlements: () => value as never })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(502)
    expect(await errorCodeOf(response)).toBe('upstream_misconfigured')
    expect(logs.join('\n')).toMatch(/entitlements returned/)
  })

  it('answers 503 when entitlements throws, and logs it', async () => {
    const { proxy, logs } = setup(undefined, {
      entitlements: () => {
        throw new Error('db down')
      },
    })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(503)
    expect(logs.join('\n')).toMatch(/entitlements threw/)
  })
})
