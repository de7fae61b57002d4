import { describe, expect, it } from 'vitest'
import { createRecord, type LicenseRecord } from './record.js'
import {
  definiteState,
  keepsInitialState,
  type RuleContext,
  refusedActivationState,
  stateFromCache,
  stateFromHint,
} from './state-rules.js'
import { LICENSE } from './test-support/fake-proxy.js'

const DAY = 86_400_000
const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const OTHER = 'SHOP-Z9Y8-X7W6-V5U4-T3S2'
const NOW = Date.UTC(2026, 0, 10)
const context: RuleContext = { mode: 'device', graceDays: 7, now: NOW }
const checkedAt = new Date(NOW - DAY).toISOString()
const active: LicenseRecord = createRecord({
  key: KEY,
  license: LICENSE,
  checkedAt,
  lastActiveAt: checkedAt,
  reason: null,
  highWaterMark: NOW - DAY,
})
const trusted = { kind: 'trusted', activeSince: NOW - DAY } as const
const none = { kind: 'none' } as const

describe('state rules', () => {
  it('definiteState tells active, denied and unlicensed, from the server unless told otherwise', () => {
    expect(definiteState(active)).toMatchObject({ status: 'active', source: 'server' })
    expect(definiteState(active, 'cache')).toMatchObject({ status: 'active', source: 'cache' })
    const revoked = createRecord({ ...active, reason: 'revoked', lastActiveAt: null })
    expect(definiteState(revoked)).toMatchObject({ status: 'denied', reason: 'revoked' })
    expect(definiteState(null)).toMatchObject({ status: 'unlicensed', license: null })
  })

  it('a refused activation is denied with the device time of the answer', () => {
    expect(refusedActivationState('limit_reached', NOW, null)).toEqual({
      status: 'denied',
      reason: 'limit_reached',
      license: null,
      source: 'server',
      checkedAt: new Date(NOW).toISOString(),
      graceEndsAt: null,
      pendingDeactivations: 0,
    })
  })

  it('a refused activation still counts the deactivations the record owes', () => {
    const owing = createRecord({ ...active, pendingDeactivations: [{ key: OTHER }] })
    expect(refusedActivationState('not_found', NOW, owing)).toMatchObject({
      status: 'denied',
      pendingDeactivations: 1,
    })
  })

  it('counts the pending deactivations of every state it builds from a record', () => {
    const owing = createRecord({
      ...active,
      license: null,
      key: undefined,
      pendingDeactivations: [{ key: OTHER }, { key: KEY }],
    })
    expect(definiteState(owing)).toMatchObject({ status: 'unlicensed', pendingDeactivations: 2 })
    expect(definiteState(active).pendingDeactivations).toBe(0)
    expect(stateFromCache(owing, none, context, true).state.pendingDeactivations).toBe(2)
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

describe('keepsInitialState', () => {
  const at = (offset: number) => new Date(NOW + offset).toISOString()
  const state = (status: 'loading' | 'active' | 'denied', checked: string | null) => ({
    status,
    reason: null,
    license: null,
    source: checked === null ? ('none' as const) : ('server' as const),
    checkedAt: checked,
    graceEndsAt: null,
    pendingDeactivations: 0,
    isChecking: false,
  })

  it.each([
    ['a server state over loading', state('denied', at(0)), state('loading', null), true],
    [
      'a server state over an older cached answer',
      state('denied', at(0)),
      state('active', at(-1)),
      true,
    ],
    [
      'a newer cached answer over the server state',
      state('denied', at(-1)),
      state('active', at(0)),
      false,
    ],
    [
      'an equally old cached answer over the server state',
      state('denied', at(0)),
      state('active', at(0)),
      false,
    ],
    [
      'a cached answer over a loading server state',
      state('loading', null),
      state('active', at(0)),
      false,
    ],
    [
      'a cached answer over a server state without checkedAt',
      state('active', null),
      state('active', at(0)),
      false,
    ],
    [
      'a server state over a cached state never checked',
      state('denied', at(0)),
      state('active', null),
      true,
    ],
  ])('%s', (_label, initial, cached, expected) => {
    expect(keepsInitialState(initial, cached)).toBe(expected)
  })
})
