import { describe, expect, it } from 'vitest'
import { byteLength, utf8Length } from './node-body.js'

const encoded = (text: string) => new TextEncoder().encode(text).byteLength

describe('utf8Length', () => {
  it.each([
    ['empty', ''],
    ['ASCII JSON', '{"ok":true,"license":null}'],
    ['two-byte characters', 'é ß ñ'],
    ['three-byte characters', '€ 日本'],
    ['a surrogate pair (four bytes)', 'key 🔑 ok'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a high surrogate at the end', 'ab\ud83d'],
    ['two high surrogates, then a low one', '\ud83d\ud83d\udd11'],
  ])('counts %s as TextEncoder does', (_label, text) => {
    expect(utf8Length(text)).toBe(encoded(text))
  })

  it('gives a byte body its own length', () => {
    expect(byteLength(new Uint8Array(7))).toBe(7)
    expect(byteLength('é')).toBe(2)
  })
})
