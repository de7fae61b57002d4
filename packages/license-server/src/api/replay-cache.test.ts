import { describe, expect, it } from 'vitest'
import { ReplayCache } from './replay-cache.js'

const T = 1_767_225_600

describe('ReplayCache', () => {
  it('admits a signature once for a change, and again only for validate', () => {
    const cache = new ReplayCache({ windowSeconds: 300 })
    expect(cache.admit('a', 'validate', T, T)).toBe(true)
    expect(cache.admit('a', 'validate', T, T)).toBe(true)
    expect(cache.admit('a', 'deactivate', T, T)).toBe(false)
    expect(cache.admit('a', 'activate', T, T)).toBe(false)
    expect(cache.admit('b', 'activate', T, T)).toBe(true)
    expect(cache.admit('b', 'activate', T, T)).toBe(false)
    expect(cache.admit('b', 'validate', T, T)).toBe(true)
  })

  it('forgets a signature once its timestamp has left the window', () => {
    const cache = new ReplayCache({ windowSeconds: 300 })
    cache.admit('a', 'activate', T, T)
    cache.admit('b', 'activate', T + 100, T + 100)
    expect(cache.admit('a', 'deactivate', T, T + 300)).toBe(false)
    expect(cache.admit('c', 'validate', T + 301, T + 301)).toBe(true)
    expect(cache.size).toBe(2)
    expect(cache.admit('b', 'deactivate', T + 100, T + 301)).toBe(false)
  })

  it('holds at most maxEntries, forgetting the oldest first', () => {
    const cache = new ReplayCache({ windowSeconds: 300, maxEntries: 2 })
    cache.admit('a', 'activate', T, T)
    cache.admit('b', 'activate', T, T)
    cache.admit('c', 'activate', T, T)
    expect(cache.size).toBe(2)
    expect(cache.admit('c', 'activate', T, T)).toBe(false)
    expect(cache.admit('b', 'activate', T, T)).toBe(false)
    expect(cache.admit('a', 'activate', T, T)).toBe(true)
  })
})
