import { describe, expect, it } from 'vitest'
import { isPlainObject } from './plain-object.js'

describe('isPlainObject', () => {
  it('is true for objects, false for arrays, null and primitives', () => {
    expect(isPlainObject({})).toBe(true)
    expect(isPlainObject(Object.create(null))).toBe(true)
    for (const value of [[], null, undefined, 'x', 1, true])
      expect(isPlainObject(value)).toBe(false)
  })
})
