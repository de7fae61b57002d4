import type { LicenseState } from '@licensekit/core'
import { describe, expect, it } from 'vitest'
import { entitlementOf } from './entitlement-of.js'
import { activeState } from './test-support/fake-client.js'

const license = activeState.license ?? { key: 'x', status: 'active', expiresAt: null }

describe('entitlementOf', () => {
  const state = {
    ...activeState,
    license: { ...license, entitlements: { export: true, forecast: false, seats: 5 } },
  } as LicenseState

  it('returns the value of a licensed state, undefined for a name it lacks', () => {
    expect(entitlementOf(state, 'export')).toBe(true)
    expect(entitlementOf(state, 'forecast')).toBe(false)
    expect(entitlementOf(state, 'seats')).toBe(5)
    expect(entitlementOf(state, 'pdf')).toBeUndefined()
    expect(entitlementOf({ ...state, status: 'grace' }, 'seats')).toBe(5)
  })

  it.each(['loading', 'unlicensed', 'denied'] as const)('returns undefined while %s', (status) => {
    expect(entitlementOf({ ...state, status }, 'export')).toBeUndefined()
  })

  it('returns undefined for a license without entitlements (an older record)', () => {
    expect(entitlementOf(activeState, 'export')).toBeUndefined()
  })
})
