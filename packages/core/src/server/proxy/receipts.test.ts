import { describe, expect, it } from 'vitest'
import { receiptSubject } from '../../receipts/claims.js'
import { generateReceiptKeys } from '../../receipts/create-receipt.js'
import { verifyReceipt } from '../../receipts/verify-receipt.js'
import { createLicenseProxy } from './create-license-proxy.js'
import {
  bodyOf,
  DOMAIN,
  errorCodeOf,
  fakeUpstream,
  json,
  KEY,
  LICENSE,
  NOW,
  post,
  testOptions,
} from './test-support/fake-upstream.js'

const keys = await generateReceiptKeys()

function setup(respond?: Parameters<typeof fakeUpstream>[0]) {
  const upstream = fakeUpstream(respond)
  const logs: string[] = []
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, {
      receiptPrivateKey: keys.privateJwk,
      log: (line) => logs.push(line),
    }),
  )
  return { proxy, logs }
}

describe('receipts', () => {
  it.each(['validate', 'activate'])('signs the %s answer', async (action) => {
    const { proxy } = setup()
    const body = await bodyOf(await proxy(post(action)))
    expect(typeof body.receipt).toBe('string')
    expect(await verifyReceipt(keys.publicJwk, body.receipt as string)).toEqual({
      v: 1,
      sub: await receiptSubject(KEY),
      aud: DOMAIN,
      st: 'active',
      exp: Date.parse(LICENSE.expiresAt) / 1000,
      iat: NOW / 1000,
    })
  })

  it("binds the receipt to the device's name under binding: 'device'", async () => {
    const device = 'k7q2m4x6p3r5t2v7w4y6z3a5bc'
    const upstream = fakeUpstream()
    const proxy = createLicenseProxy(
      testOptions(upstream.fetch, { receiptPrivateKey: keys.privateJwk, binding: 'device' }),
    )
    const body = await bodyOf(await proxy(post('validate', { key: KEY, device })))
    const claims = await verifyReceipt(keys.publicJwk, body.receipt as string)
    expect(claims?.aud).toBe(`${device}.${DOMAIN}`)
  })

  it('carries a null expiry for a perpetual license', async () => {
    const { proxy } = setup(() =>
      json(200, { valid: true, license: { ...LICENSE, expiresAt: null } }),
    )
    const body = await bodyOf(await proxy(post('validate')))
    expect((await verifyReceipt(keys.publicJwk, body.receipt as string))?.exp).toBeNull()
  })

  it('never contains the key itself', async () => {
    const { proxy } = setup()
    const body = await bodyOf(await proxy(post('validate')))
    const [claims = ''] = (body.receipt as string).split('.')
    expect(atob(claims.replace(/-/g, '+').replace(/_/g, '/'))).not.toContain('A1B2')
  })

  it('is absent from deactivate and from failures', async () => {
    const { proxy } = setup()
    expect((await bodyOf(await proxy(post('deactivate')))).receipt).toBeUndefined()
    const failing = setup(() => json(403, { message: 'License revoked' }))
    expect((await bodyOf(await failing.proxy(post('validate')))).receipt).toBeUndefined()
  })

  it('is absent without a receipt key', async () => {
    const upstream = fakeUpstream()
    const proxy = createLicenseProxy(testOptions(upstream.fetch))
    expect((await bodyOf(await proxy(post('validate')))).receipt).toBeUndefined()
  })

  it.each([
    ['the public key', keys.publicJwk],
    ['an RSA-shaped key', { kty: 'RSA', n: 'x', e: 'AQAB', d: 'x' }],
    ['a string', 'secret' as unknown as JsonWebKey],
    ['null', null as unknown as JsonWebKey],
  ])('refuses %s as receipt key at construction', (_label, jwk) => {
    const upstream = fakeUpstream()
    expect(() =>
      createLicenseProxy(testOptions(upstream.fetch, { receiptPrivateKey: jwk })),
    ).toThrow(expect.objectContaining({ code: 'invalid_config' }))
  })

  it('answers 502 upstream_misconfigured when a well-shaped key fails to import', async () => {
    const upstream = fakeUpstream()
    const logs: string[] = []
    const broken = { ...keys.privateJwk, x: keys.privateJwk.y, y: keys.privateJwk.x }
    const proxy = createLicenseProxy(
      testOptions(upstream.fetch, { receiptPrivateKey: broken, log: (line) => logs.push(line) }),
    )
    const response = await proxy(post('validate'))
    expect(response.status).toBe(502)
    expect(await errorCodeOf(response)).toBe('upstream_misconfigured')
    expect(logs.join('\n')).toMatch(/invalid_config.*receipt key/)
  })
})
