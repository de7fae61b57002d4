import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isLicenseError } from '../errors/license-error.js'
import vectors from './fixtures/signing-vectors.json' with { type: 'json' }
import { hmacSha256Hex, utf8 } from './hmac.js'
import { canonicalMessage, type SignablePayload, signPayload, verifySignature } from './signing.js'

const subtle = globalThis.crypto.subtle
let secretCounter = 0
const freshSecret = () => `secret-for-test-${++secretCounter}-${Math.random()}`

afterEach(() => {
  vi.restoreAllMocks()
})

describe('signing vectors from the guide’s reference implementation', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', async (_name, vector) => {
    const payload = vector.payload as SignablePayload
    expect(canonicalMessage(payload)).toBe(vector.message)
    expect(await signPayload(vector.secret, payload)).toBe(vector.signature)
    expect(await verifySignature(vector.secret, payload, vector.signature)).toBe(true)
  })
})

describe('HMAC-SHA256 primitive (RFC 4231)', () => {
  const bytes = (length: number, value: number) => new Uint8Array(length).fill(value)
  const ascii = (text: string) => utf8(text)
  const cases: Array<[string, Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>, string]> = [
    [
      'test case 1',
      bytes(20, 0x0b),
      ascii('Hi There'),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    ],
    [
      'test case 2',
      ascii('Jefe'),
      ascii('what do ya want for nothing?'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    ],
    [
      'test case 3',
      bytes(20, 0xaa),
      bytes(50, 0xdd),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    ],
    [
      'test case 4',
      Uint8Array.from({ length: 25 }, (_, i) => i + 1),
      bytes(50, 0xcd),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    ],
    [
      'test case 6',
      bytes(131, 0xaa),
      ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      'test case 7',
      bytes(131, 0xaa),
      ascii(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ]

  it.each(cases)('%s', async (_name, key, data, expected) => {
    expect(await hmacSha256Hex(key, data)).toBe(expected)
  })
})

describe('canonicalMessage', () => {
  it('sorts by ordinal field order, not locale order', () => {
    expect(canonicalMessage({ b: '1', B: '2', _: '3', a: '4', '0': '5' })).toBe(
      '0=5&B=2&_=3&a=4&b=1',
    )
  })

  it('keeps empty values distinguishable', () => {
    expect(canonicalMessage({ domain: '', key: 'K' })).toBe('domain=&key=K')
  })

  it('refuses the collision pair from the design', () => {
    expect(() => canonicalMessage({ domain: 'a&key=B', key: 'C' })).toThrow(/printable ASCII/)
    expect(() => canonicalMessage({ domain: 'a', key: 'B&key=C' })).toThrow(/printable ASCII/)
  })

  it('is injective over accepted payloads (it has a left inverse)', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_]{1,8}$/)
    const value = fc.stringMatching(/^[\x20-\x25\x27-\x3c\x3e-\x7e]{0,12}$/)
    const payload = fc.dictionary(name, value, { minKeys: 1, maxKeys: 6 })
    fc.assert(
      fc.property(payload, (p) => {
        const parsed = Object.fromEntries(
          canonicalMessage(p)
            .split('&')
            .map((pair) => {
              const at = pair.indexOf('=')
              return [pair.slice(0, at), pair.slice(at + 1)]
            }),
        )
        expect(parsed).toEqual({ ...p })
      }),
      { numRuns: 500 },
    )
    fc.assert(
      fc.property(payload, payload, (a, b) => {
        if (canonicalMessage(a) === canonicalMessage(b)) expect({ ...a }).toEqual({ ...b })
      }),
      { numRuns: 500 },
    )
  })
})

describe('refusals happen before any HMAC is computed', () => {
  const valid = { key: 'SHOP-A1B2-C3D4-E5F6-G7H8', domain: 'shop.example', timestamp: '1767225600' }
  const refused: Array<[string, unknown]> = [
    ['a value with &', { ...valid, domain: 'a&b' }],
    ['a value with =', { ...valid, domain: 'a=b' }],
    ['a value with CR', { ...valid, domain: 'a\rb' }],
    ['a value with LF', { ...valid, domain: 'a\nb' }],
    ['a value with a tab', { ...valid, domain: 'a\tb' }],
    ['a value with NUL', { ...valid, domain: 'a\u0000b' }],
    ['a value with DEL', { ...valid, domain: 'a\u007fb' }],
    ['a non-ASCII value', { ...valid, domain: 'bücher.example' }],
    ['an emoji value', { ...valid, domain: '🔑.example' }],
    ['a field name with a dash', { ...valid, 'x-domain': 'a' }],
    ['a field name with a space', { ...valid, 'do main': 'a' }],
    ['a non-ASCII field name', { ...valid, clé: 'a' }],
    ['an empty field name', { ...valid, '': 'a' }],
    ['a number value', { ...valid, timestamp: 1767225600 }],
    ['a null value', { ...valid, domain: null }],
    ['a nested object', { ...valid, domain: { host: 'x' } }],
    ['an array payload', ['key=SHOP']],
    ['a null payload', null],
    ['an empty payload', {}],
    ['a class instance', new URLSearchParams({ key: 'x' })],
  ]

  it.each(refused)('refuses %s', async (_label, payload) => {
    const sign = vi.spyOn(subtle, 'sign')
    const importKey = vi.spyOn(subtle, 'importKey')
    const secret = freshSecret()
    for (const attempt of [
      () => signPayload(secret, payload as SignablePayload),
      () => verifySignature(secret, payload as SignablePayload, '0'.repeat(64)),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isLicenseError(error)).toBe(true)
      expect(error).toMatchObject({ code: 'invalid_payload' })
    }
    expect(sign).not.toHaveBeenCalled()
    expect(importKey).not.toHaveBeenCalled()
  })

  it('refuses an empty secret', async () => {
    const sign = vi.spyOn(subtle, 'sign')
    await expect(signPayload('', valid)).rejects.toMatchObject({
      name: 'LicenseError',
      code: 'invalid_config',
    })
    await expect(verifySignature('', valid, '0'.repeat(64))).rejects.toMatchObject({
      code: 'invalid_config',
    })
    expect(sign).not.toHaveBeenCalled()
  })
})

describe('the HMAC key', () => {
  it('is imported once per secret, non-extractable, and reused', async () => {
    const importKey = vi.spyOn(subtle, 'importKey')
    const secret = freshSecret()
    const payload = { key: 'A', domain: 'b' }
    const first = await signPayload(secret, payload)
    await signPayload(secret, { key: 'B', domain: 'c' })
    await verifySignature(secret, payload, first)
    expect(importKey).toHaveBeenCalledTimes(1)
    expect(importKey.mock.calls[0]?.[3]).toBe(false)
    await signPayload(freshSecret(), payload)
    expect(importKey).toHaveBeenCalledTimes(2)
  })
})

describe('verifySignature', () => {
  const vector = vectors[0]
  if (!vector) throw new Error('missing vector')
  const payload = vector.payload as SignablePayload
  const good = vector.signature

  it('accepts the right signature', async () => {
    expect(await verifySignature(vector.secret, payload, good)).toBe(true)
  })

  it.each([
    ['uppercase hex', good.toUpperCase()],
    ['one character short', good.slice(0, -1)],
    ['one character long', `${good}0`],
    ['empty', ''],
    ['non-hex characters', `${good.slice(0, -1)}g`],
    ['surrounding blanks', ` ${good.slice(1)}`],
  ])('refuses %s', async (_label, signature) => {
    expect(await verifySignature(vector.secret, payload, signature)).toBe(false)
  })

  it('refuses every single flipped bit of the signature', async () => {
    for (let bit = 0; bit < 256; bit++) {
      const nibble = Math.floor(bit / 4)
      const flipped = (Number.parseInt(good[nibble] ?? '0', 16) ^ (1 << (bit % 4))).toString(16)
      const signature = good.slice(0, nibble) + flipped + good.slice(nibble + 1)
      expect(await verifySignature(vector.secret, payload, signature)).toBe(false)
    }
  })

  it('refuses a signature made with another secret or over another payload', async () => {
    expect(await verifySignature(`${vector.secret}x`, payload, good)).toBe(false)
    expect(
      await verifySignature(vector.secret, { ...payload, timestamp: '1767225601' }, good),
    ).toBe(false)
  })

  it('refuses a non-string signature', async () => {
    expect(await verifySignature(vector.secret, payload, 42 as unknown as string)).toBe(false)
  })
})
