import { describe, expect, it } from 'vitest'
import { type LicenseKeyFormat, licenseKeyTemplate, resolveKeyFormat } from './key-format.js'

describe('resolveKeyFormat', () => {
  it('defaults to any prefix and four groups', () => {
    expect(resolveKeyFormat()).toMatchObject({ prefix: null, groups: 4 })
    expect(resolveKeyFormat(null as unknown as LicenseKeyFormat)).toMatchObject({ groups: 4 })
    expect(resolveKeyFormat(1 as unknown as LicenseKeyFormat)).toMatchObject({ groups: 4 })
  })

  it('upper-cases a given prefix and sizes the body by the group count', () => {
    const eco = resolveKeyFormat({ prefix: 'eco', groups: 3 })
    expect(eco).toMatchObject({ prefix: 'ECO', groups: 3 })
    expect(eco.canonical.test('ECO-A1B2-C3D4-E5F6')).toBe(true)
    expect(eco.canonical.test('ECO-A1B2-C3D4-E5F6-G7H8')).toBe(false)
  })

  it.each([
    ['a one-character prefix', { prefix: 'E', groups: 4 }],
    ['an eleven-character prefix', { prefix: 'ABCDEFGHIJK', groups: 4 }],
    ['an empty prefix', { prefix: '', groups: 4 }],
    ['a prefix with a dash', { prefix: 'EC-O', groups: 3 }],
    ['a prefix with regular-expression syntax', { prefix: 'A.*', groups: 3 }],
    ['a prefix that is not a string', { prefix: 42, groups: 4 }],
    ['two groups', { groups: 2 }],
    ['five groups', { groups: 5 }],
    ['no group count', {}],
  ])('refuses %s as a set-up mistake, naming it', (_label, format) => {
    expect(() => resolveKeyFormat(format as unknown as LicenseKeyFormat)).toThrow(
      expect.objectContaining({
        name: 'LicenseError',
        code: 'invalid_config',
        message: `Invalid license key format ${JSON.stringify(format)}`,
      }),
    )
  })
})

describe('licenseKeyTemplate', () => {
  it('writes the format out with the configured prefix', () => {
    expect(licenseKeyTemplate()).toBe('PREFIX-XXXX-XXXX-XXXX-XXXX')
    expect(licenseKeyTemplate({ groups: 3 })).toBe('PREFIX-XXXX-XXXX-XXXX')
    expect(licenseKeyTemplate({ prefix: 'shop', groups: 4 })).toBe('SHOP-XXXX-XXXX-XXXX-XXXX')
    expect(licenseKeyTemplate({ prefix: 'ECO', groups: 3 })).toBe('ECO-XXXX-XXXX-XXXX')
  })
})
