import { describe, expect, it } from 'vitest'
import { isLicenseError } from '../errors/license-error.js'
import type { LicenseKeyFormat } from './key-format.js'
import { isLicenseKey, maskLicenseKey, normalizeLicenseKey } from './license-key.js'

const GUIDE_KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

function formatError(input: string): unknown {
  try {
    normalizeLicenseKey(input)
  } catch (error) {
    return error
  }
  throw new Error(`expected ${JSON.stringify(input.slice(0, 40))} to be refused`)
}

describe('normalizeLicenseKey', () => {
  it.each([
    [GUIDE_KEY, GUIDE_KEY],
    ['shop-a1b2-c3d4-e5f6-g7h8', GUIDE_KEY],
    ['  SHOP-A1B2-C3D4-E5F6-G7H8\t', GUIDE_KEY],
    ['SHOP A1B2 C3D4 E5F6 G7H8', GUIDE_KEY],
    ['SHOP - A1B2 - C3D4 - E5F6 - G7H8', GUIDE_KEY],
    ['shopa1b2c3d4e5f6g7h8', GUIDE_KEY],
    ['sh op a1b2c3d4 e5f6g7h8', GUIDE_KEY],
    ['ab00000000000000000', 'AB0-0000-0000-0000-0000'],
    ['ERP-0000-1111-2222-3333', 'ERP-0000-1111-2222-3333'],
    ['ABCDEFGHIJ-0000-1111-2222-3333', 'ABCDEFGHIJ-0000-1111-2222-3333'],
    ['99-ZZZZ-9999-AAAA-0000', '99-ZZZZ-9999-AAAA-0000'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeLicenseKey(input)).toBe(expected)
  })

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a one-letter prefix', 'S-A1B2-C3D4-E5F6-G7H8'],
    ['an eleven-character prefix', 'ABCDEFGHIJK-A1B2-C3D4-E5F6-G7H8'],
    ['a short group', 'SHOP-A1B-C3D4-E5F6-G7H8'],
    ['a long group', 'SHOP-A1B22-C3D4-E5F6-G7H8'],
    ['three groups', 'SHOP-A1B2-C3D4-E5F6'],
    ['five groups (never re-grouped)', 'SHOP-A1B2-C3D4-E5F6-G7H8-ZZZZ'],
    ['partial dashes', 'SHOP-A1B2C3D4E5F6G7H8'],
    ['a doubled dash', 'SHOP--A1B2-C3D4-E5F6-G7H8'],
    ['a trailing dash', 'SHOP-A1B2-C3D4-E5F6-G7H8-'],
    ['too few characters without dashes', 'SA1B2C3D4E5F6G7H8'],
    ['an underscore', 'SHOP_A1B2-C3D4-E5F6-G7H8'],
    ['punctuation', 'SHOP-A1B2-C3D4-E5F6-G7H!'],
    ['a Cyrillic look-alike letter', 'SHOP-A1B2-C3D4-E5F6-G7Н8'],
    ['a Cyrillic lower-case а', 'shоp-a1b2-c3d4-e5f6-g7h8'],
    ['a letter that upper-cases to two ASCII letters', 'SHOP-A1B2-C3D4-E5F6-G7Hß'],
    ['a dotless i', 'ıSHOP-A1B2-C3D4-E5F6-G7H8'],
    ['full-width digits', 'SHOP-A1B2-C3D4-E5F6-G7H８'],
    ['an inner newline', 'SHOP-A1B2\n-C3D4-E5F6-G7H8'],
    ['a NUL byte', 'SHOP-A1B2-C3D4-E5F6-G7H8\u0000'],
    ['10 KB of input', 'A'.repeat(10 * 1024)],
    ['10 KB of blanks around a key', `${' '.repeat(5 * 1024)}${GUIDE_KEY}${' '.repeat(5 * 1024)}`],
  ])('refuses %s', (_label, input) => {
    const error = formatError(input)
    expect(isLicenseError(error)).toBe(true)
    expect(error).toMatchObject({ name: 'LicenseError', code: 'invalid_key_format' })
  })

  it('refuses a value that is not a string', () => {
    expect(() => normalizeLicenseKey(42 as unknown as string)).toThrow(/expected a string/)
  })
})

describe('isLicenseKey', () => {
  it('accepts canonical keys only', () => {
    expect(isLicenseKey(GUIDE_KEY)).toBe(true)
    expect(isLicenseKey('AB-0000-0000-0000-0000')).toBe(true)
    expect(isLicenseKey('shop-a1b2-c3d4-e5f6-g7h8')).toBe(false)
    expect(isLicenseKey('SHOPA1B2C3D4E5F6G7H8')).toBe(false)
    expect(isLicenseKey(` ${GUIDE_KEY}`)).toBe(false)
    expect(isLicenseKey(`${GUIDE_KEY}\n`)).toBe(false)
    expect(isLicenseKey('SHOP-A1B2-C3D4-E5F6-G7Н8')).toBe(false)
    expect(isLicenseKey(undefined)).toBe(false)
    expect(isLicenseKey(12)).toBe(false)
  })
})

describe('maskLicenseKey', () => {
  it('keeps the prefix and the last group', () => {
    expect(maskLicenseKey(GUIDE_KEY)).toBe('SHOP-****-****-****-G7H8')
    expect(maskLicenseKey('erp 0000 1111 2222 3333')).toBe('ERP-****-****-****-3333')
  })

  it('refuses what is not a key rather than masking it', () => {
    expect(() => maskLicenseKey('not a key')).toThrow(
      expect.objectContaining({ code: 'invalid_key_format' }),
    )
  })
})

const ECO = { prefix: 'ECO', groups: 3 } as const
const THREE = { groups: 3 } as const
const SHOP = { prefix: 'shop', groups: 4 } as const
const FOUR: LicenseKeyFormat = { groups: 4 }

describe('normalizeLicenseKey with a format', () => {
  it.each([
    ['eco-a1b2-c3d4-e5f6', ECO, 'ECO-A1B2-C3D4-E5F6'],
    [' eco a1b2c3d4e5f6 ', ECO, 'ECO-A1B2-C3D4-E5F6'],
    ['ecoa1b2c3d4e5f6', ECO, 'ECO-A1B2-C3D4-E5F6'],
    ['any-a1b2-c3d4-e5f6', THREE, 'ANY-A1B2-C3D4-E5F6'],
    ['enterprisea1b2c3d4e5f6', THREE, 'ENTERPRISE-A1B2-C3D4-E5F6'],
    ['shopa1b2c3d4e5f6g7h8', SHOP, GUIDE_KEY],
    [GUIDE_KEY, FOUR, GUIDE_KEY],
  ])('normalises %j with %j to %j', (input, format, expected) => {
    expect(normalizeLicenseKey(input, format)).toBe(expected)
  })

  it.each([
    ['a four-group key for three groups', GUIDE_KEY, THREE],
    ['a three-group key for four groups', 'ECO-A1B2-C3D4-E5F6', FOUR],
    ['a dashless four-group key for three groups', 'shopa1b2c3d4e5f6g7h8', ECO],
    ['another prefix', 'SHOP-A1B2-C3D4-E5F6', ECO],
    ['a prefix that only starts like the given one', 'ECOX-A1B2-C3D4-E5F6', ECO],
    ['a missing prefix', 'A1B2-C3D4-E5F6', ECO],
    ['another prefix with four groups', 'SHOX-A1B2-C3D4-E5F6', SHOP],
  ])('refuses %s', (_label, input, format) => {
    expect(() => normalizeLicenseKey(input, format)).toThrow(
      expect.objectContaining({ code: 'invalid_key_format' }),
    )
  })

  it('names the expected shape in the error', () => {
    expect(() => normalizeLicenseKey('ECO-A1B2', ECO)).toThrow(/expected ECO-XXXX-XXXX-XXXX$/)
    expect(() => normalizeLicenseKey('SHOP-A1B2')).toThrow(/expected PREFIX-XXXX-XXXX-XXXX-XXXX$/)
  })

  it('refuses a format that is not one, before looking at the input', () => {
    expect(() => normalizeLicenseKey(GUIDE_KEY, { groups: 5 as 4 })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    )
  })
})

describe('isLicenseKey with a format', () => {
  it('accepts canonical keys of that format only', () => {
    expect(isLicenseKey('ECO-A1B2-C3D4-E5F6', ECO)).toBe(true)
    expect(isLicenseKey('ANY-A1B2-C3D4-E5F6', THREE)).toBe(true)
    expect(isLicenseKey('ANY-A1B2-C3D4-E5F6', ECO)).toBe(false)
    expect(isLicenseKey('eco-a1b2-c3d4-e5f6', ECO)).toBe(false)
    expect(isLicenseKey('ECO-A1B2-C3D4-E5F6')).toBe(false)
    expect(isLicenseKey(GUIDE_KEY, ECO)).toBe(false)
    expect(isLicenseKey(GUIDE_KEY, SHOP)).toBe(true)
    expect(isLicenseKey('SHOX-A1B2-C3D4-E5F6-G7H8', SHOP)).toBe(false)
  })
})

describe('maskLicenseKey with a format', () => {
  it('keeps the prefix and the last group of a three-group key', () => {
    expect(maskLicenseKey('eco a1b2 c3d4 e5f6', ECO)).toBe('ECO-****-****-E5F6')
    expect(maskLicenseKey(GUIDE_KEY, SHOP)).toBe('SHOP-****-****-****-G7H8')
    expect(() => maskLicenseKey('ECO-A1B2-C3D4-E5F6')).toThrow(
      expect.objectContaining({ code: 'invalid_key_format' }),
    )
  })
})

describe('the key functions as array callbacks', () => {
  it('take the index an array method passes second for the default format', () => {
    const keys = ['SHOP-A1B2-C3D4-E5F6-G7H8', 'ERP-0000-1111-2222-3333']
    expect(keys.every(isLicenseKey)).toBe(true)
    expect(['shop a1b2 c3d4 e5f6 g7h8', 'erp0000111122223333'].map(normalizeLicenseKey)).toEqual(
      keys,
    )
    expect(keys.map(maskLicenseKey)).toEqual([
      'SHOP-****-****-****-G7H8',
      'ERP-****-****-****-3333',
    ])
    expect(['ECO-A1B2-C3D4-E5F6'].some(isLicenseKey)).toBe(false)
  })
})
