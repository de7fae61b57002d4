import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LicenseKeyFormat } from '../../keys/key-format.js'
import { createLicenseProxy } from './create-license-proxy.js'
import type { LicenseProxyOptions } from './options.js'
import {
  DOMAIN,
  errorCodeOf,
  fakeUpstream,
  KEY,
  post,
  testOptions,
} from './test-support/fake-upstream.js'
import { canonicalKey, keyCanonicalizer, parseProxyBody } from './validate-request.js'

const DEVICE = 'k7q2m4x6p3r5t2v7w4y6z3a5bc'

function build(overrides: Partial<LicenseProxyOptions> = {}) {
  const upstream = fakeUpstream()
  const proxy = createLicenseProxy(testOptions(upstream.fetch, { binding: 'device', ...overrides }))
  return { proxy, calls: upstream.calls }
}

const ACTIONS = ['validate', 'activate', 'deactivate'] as const

describe("binding: 'device'", () => {
  it.each(ACTIONS)(
    '%s signs "<device>.<domain>" and keeps the wire {key, domain, timestamp}',
    async (action) => {
      const { proxy, calls } = build()
      const response = await proxy(post(action, { key: KEY, device: DEVICE }))
      expect(response.status).toBe(200)
      expect(calls.length).toBeGreaterThan(0)
      for (const call of calls) {
        expect(Object.keys(call.body).sort()).toEqual(['domain', 'key', 'timestamp'])
        expect(call.body.domain).toBe(`${DEVICE}.${DOMAIN}`)
      }
    },
  )

  it('puts the device id in front of what a domain function returns', async () => {
    const { proxy, calls } = build({ domain: (request) => request.headers.get('x-tenant') ?? '' })
    await proxy(
      post('validate', { key: KEY, device: DEVICE }, { headers: { 'x-tenant': 'a.example' } }),
    )
    expect(calls[0]?.body.domain).toBe(`${DEVICE}.a.example`)
  })

  it.each<[string, unknown]>([
    ['no device field', { key: KEY }],
    ['an empty device id', { key: KEY, device: '' }],
    ['25 characters', { key: KEY, device: DEVICE.slice(1) }],
    ['27 characters', { key: KEY, device: `${DEVICE}a` }],
    ['uppercase', { key: KEY, device: DEVICE.toUpperCase() }],
    ['a digit outside base32 (1)', { key: KEY, device: `${DEVICE.slice(1)}1` }],
    ['a digit outside base32 (0)', { key: KEY, device: `${DEVICE.slice(1)}0` }],
    ['a digit outside base32 (8)', { key: KEY, device: `${DEVICE.slice(1)}8` }],
    ['base32 padding', { key: KEY, device: `${DEVICE.slice(1)}=` }],
    ['a dot (another domain label)', { key: KEY, device: `${DEVICE.slice(2)}.x` }],
    ['surrounding whitespace', { key: KEY, device: ` ${DEVICE} ` }],
    ['a number', { key: KEY, device: 1234567 }],
    ['null', { key: KEY, device: null }],
    ['an object', { key: KEY, device: { id: DEVICE } }],
    ['a domain field next to it', { key: KEY, device: DEVICE, domain: 'evil.example' }],
    ['a duplicate device field', `{"key":"${KEY}","device":"${DEVICE}","device":"${DEVICE}"}`],
    ['no key', { device: DEVICE }],
  ])('answers 400 bad_request, with no upstream call, for %s', async (_label, body) => {
    for (const action of ACTIONS) {
      const { proxy, calls } = build()
      const response = await proxy(post(action, body))
      expect(response.status, action).toBe(400)
      expect(await errorCodeOf(response)).toBe('bad_request')
      expect(calls).toHaveLength(0)
    }
  })
})

describe("binding: 'site' (the default)", () => {
  it.each(ACTIONS)('%s refuses a device field as an unexpected field', async (action) => {
    const upstream = fakeUpstream()
    const proxy = createLicenseProxy(testOptions(upstream.fetch))
    const response = await proxy(post(action, { key: KEY, device: DEVICE }))
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: { code: 'bad_request', message: 'Unexpected field "device"' },
    })
    expect(upstream.calls).toHaveLength(0)
  })
})

describe('parseProxyBody', () => {
  it('returns the key and the device id as sent', () => {
    const text = JSON.stringify({ key: 'shop-a1b2', device: DEVICE })
    expect(parseProxyBody(text, true, true)).toEqual({ key: 'shop-a1b2', device: DEVICE })
    expect(parseProxyBody('{"key":"k"}', true)).toEqual({ key: 'k', device: null })
    expect(parseProxyBody('{}', false)).toEqual({ key: null, device: null })
  })

  it('refuses a device id when it expects none, even with an empty body allowed', () => {
    expect(() => parseProxyBody(JSON.stringify({ device: DEVICE }), false)).toThrow(
      expect.objectContaining({ code: 'bad_request' }),
    )
  })
})

/** What `canonicalKey` gives (the key or the error's code), for comparing two normalisers. */
function outcome(normalise: (raw: string) => string, raw: string): string {
  try {
    return `key ${normalise(raw)}`
  } catch (error) {
    return `error ${(error as { code?: string }).code} ${(error as Error).message}`
  }
}

describe('keyCanonicalizer', () => {
  const formats: (LicenseKeyFormat | undefined)[] = [
    undefined,
    { groups: 3 },
    { prefix: 'eco', groups: 3 },
    { prefix: 'SHOP', groups: 4 },
  ]
  // Keys in and near the canonical form: any case, blanks, missing, extra or misplaced dashes,
  // line breaks, other characters and lengths.
  const raw = fc
    .array(
      fc.constantFrom('A', 'b', 'Z', '0', '9', '-', ' ', '\t', '\n', '\r', '_', 'é', 'ECO', 'SHOP'),
      {
        maxLength: 40,
      },
    )
    .map((parts) => parts.join(''))
  const canonicalShaped = fc
    .tuple(
      fc.stringMatching(/^[A-Z0-9]{1,11}$/),
      fc.array(fc.stringMatching(/^[A-Z0-9]{3,5}$/), { minLength: 2, maxLength: 5 }),
    )
    .map(([prefix, groups]) => [prefix, ...groups].join('-'))

  it.each(formats)('answers what canonicalKey answers, key or error, in format %o', (format) => {
    const compiled = keyCanonicalizer(format)
    fc.assert(
      fc.property(fc.oneof(raw, canonicalShaped), (input) => {
        expect(outcome(compiled, input)).toBe(outcome((text) => canonicalKey(text, format), input))
      }),
      { numRuns: 500 },
    )
  })

  it('takes a canonical key as it is and refuses a line break after one', () => {
    const compiled = keyCanonicalizer()
    expect(compiled(KEY)).toBe(KEY)
    expect(outcome(compiled, `${KEY}\n`)).toMatch(/^error bad_request /)
    expect(outcome(compiled, `${KEY.toLowerCase()} `)).toBe(`key ${KEY}`)
    expect(outcome(keyCanonicalizer({ prefix: 'ECO', groups: 3 }), KEY)).toMatch(
      /^error invalid_key_format /,
    )
  })
})
