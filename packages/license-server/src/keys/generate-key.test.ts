import { isLicenseKey, normalizeLicenseKey } from '@licensekit/core'
import { describe, expect, it } from 'vitest'
import { generateLicenseKey, KEY_ALPHABET } from './generate-key.js'

describe('generateLicenseKey', () => {
  it('produces canonical keys in the guide’s format with the given prefix', () => {
    for (const prefix of ['SHOP', 'AB', 'ABCDEFGHIJ', 'ERP2']) {
      const key = generateLicenseKey(prefix)
      expect(isLicenseKey(key)).toBe(true)
      expect(key.startsWith(`${prefix}-`)).toBe(true)
    }
  })

  it('draws every character of the alphabet and does not repeat keys', () => {
    const keys = Array.from({ length: 2000 }, () => generateLicenseKey('SHOP'))
    expect(new Set(keys).size).toBe(keys.length)
    const seen = new Set(keys.flatMap((key) => [...key.slice(5).replaceAll('-', '')]))
    expect([...seen].sort().join('')).toBe('23456789ABCDEFGHJKMNPQRSTUVWXYZ')
    expect(KEY_ALPHABET).toHaveLength(31)
  })

  it('never uses the look-alikes 0/O and 1/I/L, and normalising a key leaves it unchanged', () => {
    for (let i = 0; i < 500; i++) {
      const key = generateLicenseKey('DEMO')
      expect(key.slice(5)).not.toMatch(/[0O1IL]/)
      expect(normalizeLicenseKey(key.toLowerCase().replaceAll('-', ''))).toBe(key)
    }
  })

  it.each(['', 'A', 'shop', 'TOOLONGPREFIX', 'SH-P', 'SHÖP'])('refuses the prefix %j', (prefix) => {
    expect(() => generateLicenseKey(prefix)).toThrow(/Invalid prefix/)
  })
})
