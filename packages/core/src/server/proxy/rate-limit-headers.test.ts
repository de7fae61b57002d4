import { describe, expect, it } from 'vitest'
import { rateLimitHeaders } from './rate-limit-headers.js'

describe('rateLimitHeaders', () => {
  it('describes the default per-client bucket: 60 over 60 s, none left for t seconds', () => {
    expect(rateLimitHeaders('client', { capacity: 60, refillPerSecond: 1 }, 7)).toEqual({
      'ratelimit-policy': '"client";q=60;w=60',
      ratelimit: '"client";r=0;t=7',
    })
  })

  it('rounds a window up to whole seconds, never below 1', () => {
    expect(rateLimitHeaders('key', { capacity: 20, refillPerSecond: 1 / 3 }, 3)).toEqual({
      'ratelimit-policy': '"key";q=20;w=60',
      ratelimit: '"key";r=0;t=3',
    })
    expect(
      rateLimitHeaders('key', { capacity: 1, refillPerSecond: 10 }, 1)['ratelimit-policy'],
    ).toBe('"key";q=1;w=1')
  })
})
