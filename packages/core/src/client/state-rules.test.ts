import { describe, expect, it } from 'vitest'
import { createRecord, type LicenseRecord } from './record.js'
import {
  definiteState,
  type RuleContext,
  refusedActivationState,
  stateFromCache,
  stateFromHint,
} from './state-rules.js'
import { LICENSE } from './test-support/fake-proxy.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 0, 10)
const context: RuleContext = { mode: 'device', graceDays: 7, now: NOW }
const checkedAt = new Date(NOW - DAY).toISOString()
const active: LicenseRecord = createRecord({
  key: 'SHOP-A1B2-C3D4-E5F6-G7H8',
  license: LICENSE,
  checkedAt,
  lastActiveAt: checkedAt,
  reason: null,
  highWaterMark: NOW - DAY,
})
const trusted = { kind: 'trusted', activeSince: NOW - DAY } as const

describe('state rules', () => {
  it('definiteState tells active, denied and unlicensed, from the server unless told otherwise', () => {
    expect(definiteState(active)).toMatchObject({ status: 'active', source: 'server' })
    expect(definiteState(active, 'cache')).toMatchObject({ status: 'active', source: 'cache' })
    const revoked = createRecord({ ...active, reason: 'revoked', lastActiveAt: null })
    expect(definiteState(revoked)).toMatchObject({ status: 'denied', reason: 'revoked' })
    expect(definiteState(null)).toMatchObject({ status: 'unlicensed', license: null })
  })

  it('a refused activation is denied with the device time of the answer', () => {
    expect(refusedActivationState('limit_reached', NOW)).toEqual({
      status: 'denied',
      reason: 'limit_reached',
      license: null,
      source: 'server',
      checkedAt: new Date(NOW).toISOString(),
      graceEndsAt: null,
    })
  })

  it('a definite hint shows a trusted grant as the server answer', () => {
    expect(stateFromHint(active, trusted, context, 'definite')).toEqual(definiteState(active))
  })

  it('a definite hint never grants a record that fails its trust check', () => {
    expect(stateFromHint(active, { kind: 'tampered' }, context, 'definite')).toMatchObject({
      status: 'denied',
      reason: 'tampered',
    })
    expect(stateFromHint(active, { kind: 'rolled_back' }, context, 'definite')).toMatchObject({
      status: 'loading',
    })
    const old = { kind: 'trusted', activeSince: NOW - 8 * DAY } as const
    expect(stateFromHint(active, old, context, 'definite').status).toBe('loading')
    const keyless = createRecord({ ...active, key: undefined })
    expect(stateFromHint(keyless, trusted, context, 'definite').status).toBe('unlicensed')
  })

  it('a definite hint shows refusals and removals as they are', () => {
    const revoked = createRecord({ ...active, reason: 'revoked', lastActiveAt: null })
    expect(stateFromHint(revoked, { kind: 'none' }, context, 'definite')).toEqual(
      definiteState(revoked),
    )
    expect(stateFromHint(null, { kind: 'none' }, context, 'definite').status).toBe('unlicensed')
  })

  it('an unreachable hint reads the record as this tab would when unreachable', () => {
    expect(stateFromHint(active, trusted, context, 'unreachable')).toEqual(
      stateFromCache(active, trusted, context, true).state,
    )
    expect(stateFromHint(active, trusted, context, 'unreachable').status).toBe('grace')
  })

  it('an old-format receipt grants nothing from the cache, a hint or an unreachable proxy', () => {
    const legacy = { kind: 'legacy' } as const
    expect(stateFromCache(active, legacy, context, false)).toMatchObject({
      state: { status: 'loading', license: null, source: 'cache' },
      followUp: 'now',
    })
    expect(stateFromCache(active, legacy, context, true).state).toMatchObject({
      status: 'loading',
      graceEndsAt: null,
    })
    for (const kind of ['definite', 'unreachable'] as const) {
      expect(stateFromHint(active, legacy, context, kind).status).toBe('loading')
    }
  })
})
