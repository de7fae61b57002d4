import { describe, expect, it, vi } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import type { LicenseProxyOptions } from './options.js'
import { fakeUpstream, post, SECRET, testOptions } from './test-support/fake-upstream.js'

function build(overrides: Partial<LicenseProxyOptions>) {
  const { fetch, calls } = fakeUpstream()
  return { proxy: createLicenseProxy(testOptions(fetch, overrides)), calls }
}

const invalidConfig = expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' })

describe('createLicenseProxy options', () => {
  it.each<[string, Partial<LicenseProxyOptions>]>([
    ['a missing secret', { secret: undefined as unknown as string }],
    ['an empty secret', { secret: '' }],
    ['a 15-byte secret', { secret: 'x'.repeat(15) }],
    ['a non-string secret', { secret: 1234567890123456 as unknown as string }],
    ['a missing domain', { domain: undefined as unknown as string }],
    ['an empty domain', { domain: '' }],
    ['a domain with &', { domain: 'a&key=b' }],
    ['a domain with =', { domain: 'a=b' }],
    ['a domain with CR/LF', { domain: 'shop.example\r\n' }],
    ['a non-ASCII domain', { domain: 'bücher.example' }],
    ['a relative upstream', { upstream: '/api' }],
    ['a non-http upstream', { upstream: 'ftp://license.test/api' }],
    ['an upstream with a query', { upstream: 'https://license.test/api?x=1' }],
    ['an upstream with credentials', { upstream: 'https://u:p@license.test/api' }],
    ['a relative basePath', { basePath: 'api/license' }],
    ['a zero timeout', { timeoutMs: 0 }],
    ['a NaN timeout', { timeoutMs: Number.NaN }],
    ['a trustProxy that is not a header name', { trustProxy: 'x forwarded' }],
    ['a trustProxy with zero hops', { trustProxy: { header: 'x-forwarded-for', hops: 0 } }],
    ['a trustProxy with fractional hops', { trustProxy: { header: 'x-forwarded-for', hops: 1.5 } }],
    [
      'a trustProxy object without a header',
      { trustProxy: { hops: 1 } as unknown as { header: string } },
    ],
    ['a fetch that is not a function', { fetch: 'fetch' as unknown as typeof fetch }],
    ['allowedOrigins that is not an array', { allowedOrigins: 'https://a.example' as never }],
  ])('throws invalid_config for %s', (_label, overrides) => {
    expect(() => build(overrides)).toThrow(invalidConfig)
  })

  it('counts the secret in UTF-8 bytes', () => {
    expect(() => build({ secret: 'ééééééé' })).toThrow(invalidConfig)
    expect(() => build({ secret: 'éééééééé' })).not.toThrow()
  })

  it('never puts the secret in the configuration error', () => {
    const short = 'hunter2hunter2'
    try {
      build({ secret: short })
      expect.unreachable()
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(short)
    }
  })

  it('posts to the upstream base + /licenses/{action}, trailing slashes ignored', async () => {
    const { proxy, calls } = build({ upstream: 'https://license.test/v2/api/' })
    await proxy(post('validate'))
    expect(calls[0]?.url).toBe('https://license.test/v2/api/licenses/validate')
  })

  it('defaults to the ECOSIRE API, /api/license and globalThis.fetch', async () => {
    const seen: string[] = []
    const original = globalThis.fetch
    globalThis.fetch = async (input) => {
      seen.push(new Request(input).url)
      return new Response('', { status: 503 })
    }
    try {
      const proxy = createLicenseProxy({ secret: SECRET, domain: 'shop.example' })
      expect(proxy.basePath).toBe('/api/license')
      await proxy(post('validate'))
    } finally {
      globalThis.fetch = original
    }
    expect(seen).toEqual(['https://api.ecosire.com/api/licenses/validate'])
  })

  describe('log', () => {
    const misconfigured = () => new Response('{"message":"Invalid signature"}', { status: 401 })

    it('writes to console.warn by default', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      try {
        const { fetch } = fakeUpstream(misconfigured)
        const proxy = createLicenseProxy({ ...testOptions(fetch), log: undefined })
        expect((await proxy(post('validate'))).status).toBe(502)
        expect(warn).toHaveBeenCalledTimes(1)
        expect(String(warn.mock.calls[0]?.[0])).toMatch(/^licensekit proxy: validate: .*secret/)
      } finally {
        warn.mockRestore()
      }
    })

    it('is silent with log: false', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      try {
        const { fetch } = fakeUpstream(misconfigured)
        const proxy = createLicenseProxy(testOptions(fetch, { log: false }))
        expect((await proxy(post('validate'))).status).toBe(502)
        expect(warn).not.toHaveBeenCalled()
      } finally {
        warn.mockRestore()
      }
    })

    it('goes to a custom function instead of the console', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const lines: string[] = []
      try {
        const { fetch } = fakeUpstream(misconfigured)
        const proxy = createLicenseProxy(testOptions(fetch, { log: (line) => lines.push(line) }))
        await proxy(post('validate'))
        expect(lines).toHaveLength(1)
        expect(warn).not.toHaveBeenCalled()
      } finally {
        warn.mockRestore()
      }
    })

    it('throws invalid_config for a log that is neither a function nor false', () => {
      expect(() => build({ log: true as unknown as false })).toThrow(invalidConfig)
    })
  })
})
