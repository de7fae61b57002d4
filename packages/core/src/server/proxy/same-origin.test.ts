import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import { plainRequestOf } from './plain-fetch.js'
import { isOwnOrigin as isOwnPlainOrigin, type SameOriginPolicy } from './same-origin.js'
import { errorCodeOf, fakeUpstream, post, testOptions } from './test-support/fake-upstream.js'

const SHOP = 'https://shop.example.com'
const DEFAULTS: SameOriginPolicy = { publicOrigin: null, trustForwarded: false }

/** The check as the proxy runs it, on the request's plain view. */
const isOwnOrigin = (origin: string, request: Request, policy: SameOriginPolicy) =>
  isOwnPlainOrigin(origin, plainRequestOf(request), policy)

/** What Next.js hands a route handler: `request.url` from the listening address, the real Host. */
function nextRequest(headers: Record<string, string>): Request {
  return new Request('http://localhost:3000/api/license/validate', { headers })
}

describe('isOwnOrigin', () => {
  it('compares with the Host header, not request.url (the Next.js case)', () => {
    const request = nextRequest({ host: 'shop.example.com' })
    expect(isOwnOrigin(SHOP, request, DEFAULTS)).toBe(true)
    expect(isOwnOrigin('http://localhost:3000', request, DEFAULTS)).toBe(false)
  })

  it('keeps the port of the Host header', () => {
    const request = nextRequest({ host: '127.0.0.1:4173' })
    expect(isOwnOrigin('http://127.0.0.1:4173', request, DEFAULTS)).toBe(true)
    expect(isOwnOrigin('http://127.0.0.1:4174', request, DEFAULTS)).toBe(false)
    expect(isOwnOrigin('http://127.0.0.1', request, DEFAULTS)).toBe(false)
  })

  it('accepts an http Origin only when the request itself came over http', () => {
    const overTls = new Request('https://shop.example.com/api/license/validate', {
      headers: { host: 'shop.example.com' },
    })
    expect(isOwnOrigin(SHOP, overTls, DEFAULTS)).toBe(true)
    expect(isOwnOrigin('http://shop.example.com', overTls, DEFAULTS)).toBe(false)
  })

  it('falls back to request.url only when there is no Host header at all', () => {
    const request = new Request('https://worker.example/api/license/validate')
    expect(isOwnOrigin('https://worker.example', request, DEFAULTS)).toBe(true)
    expect(isOwnOrigin(SHOP, request, DEFAULTS)).toBe(false)
  })

  it.each([
    ['another site', 'https://evil.example'],
    ['a subdomain', 'https://x.shop.example.com'],
    ['a suffix attack', 'https://shop.example.com.evil.example'],
    ['another port', 'https://shop.example.com:8443'],
    ['a non-http scheme', 'ftp://shop.example.com'],
  ])('refuses %s', (_label, origin) => {
    expect(isOwnOrigin(origin, nextRequest({ host: 'shop.example.com' }), DEFAULTS)).toBe(false)
  })

  it.each([
    ['userinfo', 'evil.example@shop.example.com'],
    ['a path', 'shop.example.com/evil'],
    ['a list', 'evil.example, shop.example.com'],
  ])('treats a Host header carrying %s as no match', (_label, host) => {
    expect(isOwnOrigin(SHOP, nextRequest({ host }), DEFAULTS)).toBe(false)
    expect(isOwnOrigin('https://evil.example', nextRequest({ host }), DEFAULTS)).toBe(false)
  })

  it('ignores X-Forwarded-Host and -Proto unless forwarded headers are trusted', () => {
    const request = nextRequest({
      host: 'shop.example.com',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    })
    expect(isOwnOrigin('https://evil.example', request, DEFAULTS)).toBe(false)
    expect(isOwnOrigin(SHOP, request, DEFAULTS)).toBe(true)
  })

  it('with trusted forwarded headers, takes their first entries for host and scheme', () => {
    const trusted = { ...DEFAULTS, trustForwarded: true }
    const request = nextRequest({
      host: 'localhost:3000',
      'x-forwarded-host': 'shop.example.com, internal.lan',
      'x-forwarded-proto': 'https, http',
    })
    expect(isOwnOrigin(SHOP, request, trusted)).toBe(true)
    expect(isOwnOrigin('http://shop.example.com', request, trusted)).toBe(false)
    expect(isOwnOrigin('http://localhost:3000', request, trusted)).toBe(false)
    expect(isOwnOrigin('https://internal.lan', request, trusted)).toBe(false)
  })

  it('with a public origin, accepts that origin alone', () => {
    const pinned = { publicOrigin: SHOP, trustForwarded: true }
    const request = nextRequest({ host: 'evil.example', 'x-forwarded-host': 'evil.example' })
    expect(isOwnOrigin(SHOP, request, pinned)).toBe(true)
    expect(isOwnOrigin('https://evil.example', request, pinned)).toBe(false)
    expect(isOwnOrigin('http://localhost:3000', request, pinned)).toBe(false)
  })
})

describe('the proxy behind a server that binds request.url to its listening address', () => {
  function proxyWith(overrides: Parameters<typeof testOptions>[1] = {}) {
    const upstream = fakeUpstream()
    return { proxy: createLicenseProxy(testOptions(upstream.fetch, overrides)), upstream }
  }

  function nextPost(headers: Record<string, string>): Request {
    return post('validate', undefined, { headers, base: 'http://localhost:3000' })
  }

  it('serves the page’s own POST (Host shop.example.com, Origin https://shop.example.com)', async () => {
    const { proxy, upstream } = proxyWith()
    const response = await proxy(nextPost({ host: 'shop.example.com', origin: SHOP }))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(upstream.calls).toHaveLength(1)
  })

  it.each([
    ['by default', {}, { host: 'shop.example.com' }],
    [
      'with trustProxy',
      { trustProxy: 'x-forwarded-for' },
      { 'x-forwarded-host': 'shop.example.com' },
    ],
    ['with publicOrigin', { publicOrigin: SHOP }, { host: 'shop.example.com' }],
    [
      'when the Host names the attacker',
      {},
      { host: 'shop.example.com', 'x-forwarded-host': 'evil.example' },
    ],
  ])('still refuses a foreign Origin %s', async (_label, overrides, headers) => {
    const { proxy, upstream } = proxyWith(overrides)
    const response = await proxy(nextPost({ ...headers, origin: 'https://evil.example' }))
    expect(response.status).toBe(403)
    expect(await errorCodeOf(response)).toBe('forbidden_origin')
    expect(upstream.calls).toHaveLength(0)
  })

  it('refuses a malformed publicOrigin at construction', () => {
    expect(() => proxyWith({ publicOrigin: 'https://shop.example.com/' })).toThrow(/publicOrigin/)
    expect(() => proxyWith({ publicOrigin: '*' })).toThrow(/publicOrigin/)
  })
})
