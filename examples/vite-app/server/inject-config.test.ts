import { describe, expect, it } from 'vitest'
import { type DemoClientConfig, readClientConfig } from '../src/config.js'
import { CONFIG_MARKER, configScript, injectClientConfig } from './inject-config.js'

const config: DemoClientConfig = {
  endpoint: '/api/license',
  domain: 'localhost',
  heartbeatIntervalMs: 60_000,
  receiptPublicJwk: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy' },
  liveEvents: true,
  binding: 'device',
}

function parse(html: string): unknown {
  const match = /<script type="application\/json" id="licensekit-config">(.*?)<\/script>/s.exec(
    html,
  )
  if (!match?.[1]) throw new Error('no config script')
  return JSON.parse(match[1])
}

describe('injectClientConfig', () => {
  it('replaces the marker with the configuration', () => {
    const html = injectClientConfig(`<head>${CONFIG_MARKER}</head><body></body>`, config)
    expect(html).not.toContain(CONFIG_MARKER)
    expect(parse(html)).toEqual(config)
  })

  it('appends to <head> when there is no marker', () => {
    const html = injectClientConfig('<html><head><title>x</title></head></html>', config)
    expect(html.indexOf('licensekit-config')).toBeLessThan(html.indexOf('</head>'))
    expect(parse(html)).toEqual(config)
  })

  it('refuses a page with neither marker nor head', () => {
    expect(() => injectClientConfig('<body></body>', config)).toThrow(/marker/)
  })

  it('never writes the private part of a receipt key', () => {
    const privateJwk = { ...config.receiptPublicJwk, d: 'PRIVATE-SCALAR', key_ops: ['sign'] }
    const script = configScript({ ...config, receiptPublicJwk: privateJwk })
    expect(script).not.toContain('PRIVATE-SCALAR')
    expect(script).not.toContain('"d"')
    expect(script).not.toContain('sign')
  })

  it('escapes values that could close the script element', () => {
    const script = configScript({ ...config, domain: '</script><script>alert(1)</script>' })
    expect(script.match(/<\/script>/g)).toHaveLength(1)
    expect(script).not.toContain('<script>alert')
    expect(parse(script)).toMatchObject({ domain: '</script><script>alert(1)</script>' })
  })

  it('a "$&" in a value is written as is, not as a replacement pattern', () => {
    const html = injectClientConfig(`<head>${CONFIG_MARKER}</head>`, { ...config, domain: 'a$&b' })
    expect(parse(html)).toMatchObject({ domain: 'a$&b' })
  })
})

describe('readClientConfig', () => {
  function page(text: string | null): Document {
    return {
      getElementById: (id: string) => (id === 'licensekit-config' ? { textContent: text } : null),
    } as unknown as Document
  }

  it('reads back what was injected', () => {
    const json = /<script[^>]*>(.*)<\/script>/s.exec(configScript(config))?.[1] ?? null
    expect(readClientConfig(page(json))).toEqual(config)
  })

  it.each([
    ['no element', null],
    ['invalid JSON', '{'],
    ['a relative endpoint', JSON.stringify({ ...config, endpoint: 'api' })],
    ['no domain', JSON.stringify({ ...config, domain: '' })],
    ['a zero heartbeat', JSON.stringify({ ...config, heartbeatIntervalMs: 0 })],
    ['a private key', JSON.stringify({ ...config, receiptPublicJwk: { d: 'x' } })],
    ['no liveEvents flag', JSON.stringify({ ...config, liveEvents: undefined })],
    ['an unknown binding', JSON.stringify({ ...config, binding: 'browser' })],
    ['no binding', JSON.stringify({ ...config, binding: undefined })],
    ['an array', '[]'],
  ])('gives null for %s', (_name, text) => {
    expect(readClientConfig(page(text))).toBeNull()
  })
})
