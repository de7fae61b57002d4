import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json } from '../../test-support/json-response.js'
import { decodeBase64Url, encodeBase64Url } from '../../tokens/base64url.js'
import { type LicenseTokenClaims, licenseSubject } from '../../tokens/claims.js'
import { generateSigningKeys } from '../../tokens/keys.js'
import { signLicenseToken } from '../../tokens/sign-license-token.js'
import { part, rawSign } from '../../tokens/test-support/forge.js'
import type { FetchFunction } from '../proxy/options.js'
import { createLicenseGuard, type GuardResult, requireEntitlement } from './create-license-guard.js'

const keys = await generateSigningKeys()
const older = await generateSigningKeys()
const DOMAIN = 'shop.example'
const DEVICE = 'abcdefghijklmnopqrstuvwxyz'
const IAT = 1_767_225_600
const NOW = IAT * 1000 + 1000
const claims: LicenseTokenClaims = {
  iss: 'licensekit',
  sub: await licenseSubject('SHOP-A1B2-C3D4-E5F6-G7H8'),
  aud: DOMAIN,
  st: 'active',
  lexp: IAT + 365 * 86_400,
  ent: { export: true, seats: 5, forecast: false },
  iat: IAT,
  exp: IAT + 86_400,
}
const token = await signLicenseToken(keys.privateJwk, claims)
const header = { alg: 'ES256', typ: 'license+jwt', kid: keys.publicJwk.kid }

function request(authorization?: string | string[]): Request {
  const headers = new Headers()
  for (const value of [authorization ?? []].flat()) headers.append('authorization', value)
  return new Request('https://shop.example/api/export', { headers })
}

function guardWith(overrides: Partial<Parameters<typeof createLicenseGuard>[0]> = {}) {
  let clock = NOW
  const guard = createLicenseGuard({
    keys: keys.publicJwk,
    domain: DOMAIN,
    now: () => clock,
    ...overrides,
  })
  return { guard, advance: (ms: number) => (clock += ms) }
}

async function refusal(result: GuardResult) {
  if (result.ok) throw new Error('expected a refusal')
  const body = (await result.response.json()) as {
    ok: false
    error: { code: string; message: string }
  }
  return { status: result.response.status, headers: result.response.headers, ...body.error }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createLicenseGuard', () => {
  it('accepts a valid token and says what the license holds', async () => {
    const { guard } = guardWith()
    expect(await guard(request(`License ${token}`))).toEqual({
      ok: true,
      license: {
        subject: claims.sub,
        status: 'active',
        expiresAt: new Date((claims.lexp as number) * 1000).toISOString(),
        entitlements: { export: true, seats: 5, forecast: false },
      },
    })
  })

  it('reads only the headers, so a Node adapter need not build a Request', async () => {
    const { guard } = guardWith()
    const headers = new Map([['authorization', `License ${token}`]])
    const result = await guard({ headers: { get: (name) => headers.get(name) ?? null } })
    expect(result.ok).toBe(true)
  })

  it('takes the scheme in any case and a list of keys', async () => {
    const { guard } = guardWith({ keys: [older.publicJwk, keys.publicJwk] })
    expect((await guard(request(`license ${token}`))).ok).toBe(true)
  })

  it('answers 401 license_required with WWW-Authenticate when the header is missing', async () => {
    const { guard } = guardWith()
    const answer = await refusal(await guard(request()))
    expect(answer).toMatchObject({ status: 401, code: 'license_required' })
    expect(answer.headers.get('www-authenticate')).toBe('License')
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it.each([
    ['an empty header', ''],
    ['the Bearer scheme', `Bearer ${token}`],
    ['no scheme', token],
    ['the scheme alone', 'License'],
    ['two tokens separated by a space', `License ${token} ${token}`],
    ['two tokens separated by a comma', `License ${token}, License ${token}`],
    ['two Authorization headers', [`License ${token}`, `License ${token}`]],
    ['standard base64 characters', `License ${token.slice(0, -2)}+/`],
    ['base64 padding', `License ${token}==`],
    ['a percent-encoded token', `License ${token.replace('.', '%2E')}`],
    ['two parts', `License ${token.split('.').slice(0, 2).join('.')}`],
  ])('answers 401 license_required for %s', async (_label, value) => {
    const { guard } = guardWith()
    expect(await refusal(await guard(request(value)))).toMatchObject({
      status: 401,
      code: 'license_required',
    })
  })

  it('answers 401 for a header over 4 KiB without doing any crypto', async () => {
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify')
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest')
    const { guard } = guardWith()
    const answer = await refusal(await guard(request(`License ${token}${'A'.repeat(4096)}`)))
    expect(answer).toMatchObject({ status: 401, code: 'license_required' })
    expect(answer.message).toBe('The Authorization header is too large')
    expect(verify).not.toHaveBeenCalled()
    expect(digest).not.toHaveBeenCalled()
  })

  it('answers 401 for base64url that does not decode to JSON', async () => {
    const { guard } = guardWith()
    const [, body = '', signature = ''] = token.split('.')
    expect(await refusal(await guard(request(`License A.${body}.${signature}`)))).toMatchObject({
      status: 401,
      code: 'license_required',
    })
  })

  const forged: [string, () => Promise<string>][] = [
    [
      'alg none',
      async () => `${part({ ...header, alg: 'none' })}.${part(claims)}.${token.split('.')[2]}`,
    ],
    [
      'HS256 with the public key as secret',
      async () => {
        const input = `${part({ ...header, alg: 'HS256' })}.${part(claims)}`
        const mac = createHmac('sha256', JSON.stringify(keys.publicJwk))
          .update(input)
          .digest('base64url')
        return `${input}.${mac}`
      },
    ],
    ['an unknown kid', () => rawSign({ ...header, kid: 'unknown' }, claims, keys.privateJwk)],
    ['a crit header', () => rawSign({ ...header, crit: ['exp'] }, claims, keys.privateJwk)],
    [
      'a jku header',
      () => rawSign({ ...header, jku: 'https://evil.example' }, claims, keys.privateJwk),
    ],
    ['a jwk header', () => rawSign({ ...header, jwk: older.publicJwk }, claims, older.privateJwk)],
    [
      'an x5u header',
      () => rawSign({ ...header, x5u: 'https://evil.example' }, claims, keys.privateJwk),
    ],
    [
      'a flipped signature bit',
      async () => {
        const [h = '', c = '', s = ''] = token.split('.')
        const bytes = decodeBase64Url(s) ?? new Uint8Array()
        bytes[5] = (bytes[5] ?? 0) ^ 0x80
        return `${h}.${c}.${encodeBase64Url(bytes)}`
      },
    ],
    ...(['iss', 'sub', 'aud', 'st', 'lexp', 'ent', 'iat', 'exp'] as const).map(
      (name): [string, () => Promise<string>] => [
        `an edited ${name}`,
        async () => {
          const [h = '', , s = ''] = token.split('.')
          const edits = {
            iss: 'x',
            sub: '0'.repeat(64),
            aud: 'x.example',
            st: 'revoked',
            lexp: null,
            ent: { export: true, seats: 99 },
            iat: IAT + 1,
            exp: IAT + 9 * 86_400,
          }
          return `${h}.${part({ ...claims, [name]: edits[name] })}.${s}`
        },
      ],
    ),
    ['a wrong aud', () => signLicenseToken(keys.privateJwk, { ...claims, aud: 'other.example' })],
    [
      'an aud on a subdomain that is not a device id',
      () => signLicenseToken(keys.privateJwk, { ...claims, aud: `evil.${DOMAIN}` }),
    ],
    [
      'a device-bound aud of another site',
      () => signLicenseToken(keys.privateJwk, { ...claims, aud: `${DEVICE}.other.example` }),
    ],
    [
      'a device id glued to the domain without a dot',
      () => signLicenseToken(keys.privateJwk, { ...claims, aud: `${DEVICE}${DOMAIN}` }),
    ],
    ['a wrong iss', () => signLicenseToken(keys.privateJwk, { ...claims, iss: 'someone-else' })],
    [
      'an exp in the past',
      () =>
        signLicenseToken(keys.privateJwk, { ...claims, iat: IAT - 2 * 86_400, exp: IAT - 3600 }),
    ],
    [
      'an iat in the future beyond tolerance',
      () => signLicenseToken(keys.privateJwk, { ...claims, iat: IAT + 120, exp: IAT + 86_400 }),
    ],
    ['a token from a rotated-out key', () => signLicenseToken(older.privateJwk, claims)],
    [
      'a suspended license',
      () => signLicenseToken(keys.privateJwk, { ...claims, st: 'suspended' }),
    ],
    [
      'a license past its own expiry',
      () => signLicenseToken(keys.privateJwk, { ...claims, lexp: IAT - 1 }),
    ],
  ]

  it.each(forged)('answers 403 license_invalid for %s', async (_label, build) => {
    const { guard } = guardWith()
    expect(await refusal(await guard(request(`License ${await build()}`)))).toMatchObject({
      status: 403,
      code: 'license_invalid',
    })
  })

  it('accepts the device-bound aud of its own domain (a proxy under binding: device)', async () => {
    const bound = await signLicenseToken(keys.privateJwk, { ...claims, aud: `${DEVICE}.${DOMAIN}` })
    const result = await guardWith().guard(request(`License ${bound}`))
    expect(result.ok).toBe(true)
  })

  it('accepts an iat just ahead of the clock, within the tolerance', async () => {
    const ahead = await signLicenseToken(keys.privateJwk, { ...claims, iat: IAT + 50 })
    const { guard } = guardWith()
    expect((await guard(request(`License ${ahead}`))).ok).toBe(true)
    const strict = guardWith({ clockToleranceSeconds: 0 }).guard
    expect((await strict(request(`License ${ahead}`))).ok).toBe(false)
  })

  it('checks the issuer option', async () => {
    const own = await signLicenseToken(keys.privateJwk, { ...claims, iss: 'shop-backend' })
    const { guard } = guardWith({ issuer: 'shop-backend' })
    expect((await guard(request(`License ${own}`))).ok).toBe(true)
    expect((await guard(request(`License ${token}`))).ok).toBe(false)
  })

  it('caches a verified token until its exp, then checks it again', async () => {
    const { guard, advance } = guardWith()
    await guard(request(`License ${token}`))
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify')
    expect((await guard(request(`License ${token}`))).ok).toBe(true)
    expect(verify).not.toHaveBeenCalled()
    advance(86_400_000)
    expect((await guard(request(`License ${token}`))).ok).toBe(true)
    expect(verify).toHaveBeenCalledTimes(1)
    advance(61_000)
    expect(await refusal(await guard(request(`License ${token}`)))).toMatchObject({ status: 403 })
  })

  it('refuses two tokens, another scheme or trailing text even when the token is cached', async () => {
    const { guard } = guardWith()
    expect((await guard(request(`License ${token}`))).ok).toBe(true)
    for (const value of [
      `License ${token}, License ${token}`,
      [`License ${token}`, `License ${token}`],
      `License ${token} x`,
      `Bearer ${token}`,
      `License  ${token}.x`,
    ]) {
      expect((await refusal(await guard(request(value)))).status).toBe(401)
    }
  })

  it('never caches a refusal', async () => {
    const { guard } = guardWith()
    const suspended = await signLicenseToken(keys.privateJwk, { ...claims, st: 'suspended' })
    await guard(request(`License ${suspended}`))
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify')
    await guard(request(`License ${suspended}`))
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it.each<[string, Record<string, unknown>]>([
    ['no domain', { domain: '' }],
    ['keys that are neither JWKs nor a URL', { keys: 42 }],
    ['a relative JWKS URL', { keys: '/api/license/jwks' }],
    ['a non-http JWKS URL', { keys: 'file:///etc/jwks.json' }],
    ['a negative tolerance', { clockToleranceSeconds: -1 }],
    ['a cache of no entries', { cacheSize: 0 }],
  ])('refuses %s at construction', (_label, overrides) => {
    expect(() =>
      createLicenseGuard({ keys: keys.publicJwk, domain: DOMAIN, ...overrides } as never),
    ).toThrow(expect.objectContaining({ code: 'invalid_config' }))
  })
})

describe('createLicenseGuard with a JWKS URL', () => {
  const URL_ = 'https://shop.example/api/license/jwks'

  function jwksServer(initial: JsonWebKey[]) {
    let published = initial
    let down = false
    const calls: string[] = []
    const fetch: FetchFunction = async (input) => {
      calls.push(String(input))
      if (down) throw new TypeError('fetch failed')
      return json(200, { keys: published })
    }
    return {
      fetch,
      calls,
      publish: (list: JsonWebKey[]) => {
        published = list
      },
      setDown: (value: boolean) => {
        down = value
      },
    }
  }

  it('fetches the keys once and verifies with them', async () => {
    const server = jwksServer([keys.publicJwk])
    const { guard } = guardWith({ keys: URL_, fetch: server.fetch })
    expect((await guard(request(`License ${token}`))).ok).toBe(true)
    const other = await signLicenseToken(keys.privateJwk, { ...claims, sub: '1'.repeat(64) })
    expect((await guard(request(`License ${other}`))).ok).toBe(true)
    expect(server.calls).toEqual([URL_])
  })

  it('refetches on an unknown kid at most once a minute, and picks up a new key', async () => {
    const server = jwksServer([keys.publicJwk])
    const { guard, advance } = guardWith({ keys: URL_, fetch: server.fetch })
    await guard(request(`License ${token}`))
    const rotated = await generateSigningKeys()
    const fresh = await signLicenseToken(rotated.privateJwk, claims)
    const fresh2 = await signLicenseToken(rotated.privateJwk, { ...claims, sub: '2'.repeat(64) })
    advance(30_000)
    expect((await guard(request(`License ${fresh}`))).ok).toBe(false)
    expect(server.calls).toHaveLength(1)
    advance(30_000)
    server.publish([rotated.publicJwk, keys.publicJwk])
    expect((await guard(request(`License ${fresh}`))).ok).toBe(true)
    expect(server.calls).toHaveLength(2)
    const unknown = await rawSign({ ...header, kid: 'nope' }, claims, keys.privateJwk)
    await guard(request(`License ${unknown}`))
    await guard(request(`License ${unknown}`))
    expect(server.calls).toHaveLength(2)
    expect((await guard(request(`License ${fresh2}`))).ok).toBe(true)
  })

  it('keeps working with the cached keys while the JWKS is down', async () => {
    const server = jwksServer([keys.publicJwk])
    const logs: string[] = []
    const { guard, advance } = guardWith({
      keys: URL_,
      fetch: server.fetch,
      log: (l) => logs.push(l),
    })
    await guard(request(`License ${token}`))
    server.setDown(true)
    advance(10 * 60_000)
    const other = await signLicenseToken(keys.privateJwk, {
      ...claims,
      iat: IAT + 600,
      exp: IAT + 86_400,
    })
    expect((await guard(request(`License ${other}`))).ok).toBe(true)
    expect(server.calls.length).toBeGreaterThan(1)
    expect(logs.join('\n')).toMatch(/could not fetch the JWKS/)
  })

  it('answers 503 saying so, never an accept, when the JWKS is down and no key is cached', async () => {
    const server = jwksServer([keys.publicJwk])
    server.setDown(true)
    const { guard, advance } = guardWith({ keys: URL_, fetch: server.fetch })
    const answer = await refusal(await guard(request(`License ${token}`)))
    expect(answer).toMatchObject({ status: 503, code: 'upstream_unavailable' })
    expect(answer.message).toMatch(/signing keys could not be fetched/)
    expect(answer.headers.get('retry-after')).toBe('5')
    server.setDown(false)
    advance(5_000)
    expect((await guard(request(`License ${token}`))).ok).toBe(true)
  })

  it.each<[string, () => Response]>([
    ['an HTTP error', () => new Response('nope', { status: 500 })],
    ['a body that is not JSON', () => new Response('<html>')],
    ['JSON without keys', () => json(200, { jwks: [] })],
  ])('answers 503 when the JWKS answers %s', async (_label, answer) => {
    const { guard } = guardWith({ keys: URL_, fetch: async () => answer() })
    expect((await refusal(await guard(request(`License ${token}`)))).status).toBe(503)
  })
})

describe('requireEntitlement', () => {
  it('passes a license that holds the entitlement', async () => {
    const { guard } = guardWith()
    const result = await guard(request(`License ${token}`))
    expect(requireEntitlement(result, 'export')).toBe(result)
    expect(requireEntitlement(result, 'seats')).toBe(result)
  })

  it.each(['forecast', 'pdf'])(
    'answers 403 license_invalid when %s is false or absent',
    async (name) => {
      const { guard } = guardWith()
      const answer = await refusal(
        requireEntitlement(await guard(request(`License ${token}`)), name),
      )
      expect(answer).toMatchObject({ status: 403, code: 'license_invalid' })
      expect(answer.message).toContain(name)
    },
  )

  it('passes a refusal through unchanged', async () => {
    const { guard } = guardWith()
    const result = await guard(request())
    expect(requireEntitlement(result, 'export')).toBe(result)
  })
})
