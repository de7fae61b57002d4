import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import type { LicenseProxyOptions } from './options.js'
import { fakeUpstream, post, testOptions } from './test-support/fake-upstream.js'

function build(overrides: Partial<LicenseProxyOptions>) {
  const upstream = fakeUpstream()
  return { proxy: createLicenseProxy(testOptions(upstream.fetch, overrides)), ...upstream }
}

const invalidConfig = expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' })

describe('the domain option', () => {
  it.each([
    ['a URL', 'https://localhost'],
    ['a URL with a path', 'https://shop.example/app'],
    ['a path', 'shop.example/app'],
    ['a port without allowDomainPort', 'localhost:5180'],
    ['uppercase letters', 'Shop.Example'],
    ['surrounding whitespace', ' shop.example '],
    ['a trailing newline', 'shop.example\n'],
    ['a non-string', 42 as unknown as string],
  ])('refuses %s at construction with invalid_config', (_label, domain) => {
    expect(() => build({ domain })).toThrow(invalidConfig)
  })

  it('names the rule and the allowDomainPort option in the error', () => {
    expect(() => build({ domain: 'localhost:5180' })).toThrow(/host name.*allowDomainPort/)
  })

  it('accepts host:port with allowDomainPort, and signs it as configured', async () => {
    const { proxy, calls } = build({ domain: 'localhost:5180', allowDomainPort: true })
    await proxy(post('validate'))
    expect(calls[0]?.body.domain).toBe('localhost:5180')
  })

  it('still refuses a URL, a path or a bad port with allowDomainPort', () => {
    for (const domain of ['https://localhost:5180', 'localhost:5180/x', 'localhost:99999']) {
      expect(() => build({ domain, allowDomainPort: true }), domain).toThrow(invalidConfig)
    }
  })

  it('only takes allowDomainPort: true, not a truthy value', () => {
    const allowDomainPort = 'yes' as unknown as boolean
    expect(() => build({ domain: 'localhost:5180', allowDomainPort })).toThrow(invalidConfig)
  })

  it('under device binding, leaves room for "<device>." in front of the domain', () => {
    const long = Array.from({ length: 227 }, (_, i) => (i % 50 === 49 ? '.' : 'a')).join('')
    expect(() => build({ domain: long })).not.toThrow()
    expect(() => build({ domain: long, binding: 'device' })).toThrow(invalidConfig)
    expect(() => build({ domain: long.slice(1), binding: 'device' })).not.toThrow()
  })

  it('checks what a domain function returns per request: not a host name is a 502', async () => {
    const logs: string[] = []
    const { proxy, calls } = build({
      domain: () => 'https://shop.example',
      log: (line) => logs.push(line),
    })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(502)
    expect(calls).toHaveLength(0)
    expect(logs.join('\n')).toMatch(/domain function.*not a host name/)
  })

  it('applies allowDomainPort to a domain function too', async () => {
    const refused = build({ domain: () => 'localhost:5180', log: false })
    expect((await refused.proxy(post('validate'))).status).toBe(502)
    const allowed = build({ domain: () => 'localhost:5180', allowDomainPort: true })
    expect((await allowed.proxy(post('validate'))).status).toBe(200)
    expect(allowed.calls[0]?.body.domain).toBe('localhost:5180')
  })
})

describe('the binding option', () => {
  it.each([
    ['an unknown binding', { binding: 'browser' as never }],
    ['device binding in installation mode', { binding: 'device', resolveKey: async () => null }],
  ] satisfies [string, Partial<LicenseProxyOptions>][])(
    'refuses %s with invalid_config',
    (_label, overrides) => {
      expect(() => build(overrides)).toThrow(invalidConfig)
    },
  )

  it('defaults to site binding: the configured domain is signed as it is', async () => {
    const { proxy, calls } = build({})
    await proxy(post('activate'))
    expect(calls.map((call) => call.body.domain)).toEqual(['shop.example', 'shop.example'])
  })
})
