import { describe, expect, it } from 'vitest'
import { SigningClock } from './signing-clock.js'

const T = 1_767_225_600

describe('SigningClock', () => {
  it('signs validate at the current second, even repeatedly', () => {
    const clock = new SigningClock()
    expect(clock.next('validate', 'K', 'd', T)).toBe(T)
    expect(clock.next('validate', 'K', 'd', T)).toBe(T)
  })

  it('signs a change a second after the last request for its key and domain', () => {
    const clock = new SigningClock()
    expect(clock.next('validate', 'K', 'd', T)).toBe(T)
    expect(clock.next('activate', 'K', 'd', T)).toBe(T + 1)
    expect(clock.next('validate', 'K', 'd', T)).toBe(T)
    expect(clock.next('deactivate', 'K', 'd', T)).toBe(T + 2)
    expect(clock.next('deactivate', 'K', 'd', T + 10)).toBe(T + 10)
  })

  it('keeps keys and domains apart', () => {
    const clock = new SigningClock()
    clock.next('activate', 'K', 'd', T)
    expect(clock.next('activate', 'K', 'e', T)).toBe(T)
    expect(clock.next('activate', 'L', 'd', T)).toBe(T)
  })

  it('remembers at most maxEntries pairs', () => {
    const clock = new SigningClock(1)
    clock.next('activate', 'K', 'd', T)
    clock.next('activate', 'L', 'd', T)
    expect(clock.next('activate', 'K', 'd', T)).toBe(T)
    expect(clock.next('activate', 'L', 'd', T)).toBe(T)
  })
})
