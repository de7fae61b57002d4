import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from './base64url.js'

describe('base64url', () => {
  it('round-trips every length and byte value', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff)
      const text = encodeBase64Url(bytes)
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
      expect(decodeBase64Url(text)).toEqual(bytes)
    }
  })

  it.each([
    ['padding', 'AA=='],
    ['standard characters', 'a+/b'],
    ['a length of 4n + 1', 'AAAAA'],
    ['a space', 'AA AA'],
    ['unused bits set after one byte', 'AB'],
    ['unused bits set after two bytes', 'AAB'],
  ])('refuses %s', (_label, text) => {
    expect(decodeBase64Url(text)).toBeNull()
  })

  it('accepts each canonical last character', () => {
    expect(decodeBase64Url('AQ')).toEqual(new Uint8Array([1]))
    expect(decodeBase64Url('AAE')).toEqual(new Uint8Array([0, 1]))
    expect(decodeBase64Url('__8')).toEqual(new Uint8Array([255, 255]))
    expect(decodeBase64Url('-w')).toEqual(new Uint8Array([251]))
  })
})
