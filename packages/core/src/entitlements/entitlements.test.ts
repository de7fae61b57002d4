import { describe, expect, it } from 'vitest'
import { parseEntitlements } from './entitlements.js'

describe('parseEntitlements', () => {
  it('keeps booleans and finite numbers', () => {
    expect(parseEntitlements({})).toEqual({})
    expect(parseEntitlements({ export: true, beta: false, seats: 5, quota: 0.5 })).toEqual({
      export: true,
      beta: false,
      seats: 5,
      quota: 0.5,
    })
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['an array', [true]],
    ['a string value', { plan: 'pro' }],
    ['an object value', { limits: {} }],
    ['Infinity', { seats: Number.POSITIVE_INFINITY }],
    ['an empty name', { '': true }],
    ['a name with a space', { 'pdf export': true }],
    ['a name over 64 characters', { ['x'.repeat(65)]: true }],
    ['65 entitlements', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}`, true]))],
    [
      'a class instance',
      new (class Plan {
        export = true
      })(),
    ],
  ])('refuses %s', (_label, value) => {
    expect(parseEntitlements(value)).toBeNull()
  })
})
