import { describe, expect, it } from 'vitest'
import { IsoTime } from './iso-time.js'

describe('IsoTime', () => {
  it('gives what Date#toISOString gives, for repeated and changing times', () => {
    const time = new IsoTime()
    const moments = [0, 0, 1, 1_796_177_937_123, 1_796_177_937_123, 1_796_177_937_124, -1, 0]
    for (const ms of moments) expect(time.of(ms)).toBe(new Date(ms).toISOString())
  })

  it('throws for a time that is not one, every time, and answers the next valid time afresh', () => {
    const time = new IsoTime()
    expect(time.of(5)).toBe('1970-01-01T00:00:00.005Z')
    for (const ms of [Number.NaN, Number.NaN, 8.64e15 + 1, Number.POSITIVE_INFINITY]) {
      expect(() => time.of(ms)).toThrow(RangeError)
    }
    expect(time.of(5)).toBe('1970-01-01T00:00:00.005Z')
    expect(time.of(6)).toBe('1970-01-01T00:00:00.006Z')
  })
})
