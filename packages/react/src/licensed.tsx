'use client'
import { type EntitlementName, isLicensed, type LicenseState } from '@licensekit/core'
import { type ReactElement, type ReactNode, useCallback } from 'react'
import { useProvidedClient } from './context.js'
import { entitlementOf } from './entitlement-of.js'
import { selectState } from './use-license.js'
import { useClientSelector } from './use-selector.js'

export interface LicensedProps {
  /**
   * An entitlement the license must also have, truthy (`true` or a non-zero number): a licensed
   * user without it sees the fallback. Without `feature`, being licensed is enough.
   */
  feature?: EntitlementName | undefined
  /** Shown only while the license is `active` or `grace`; a function receives the state. */
  children?: ReactNode | ((state: LicenseState) => ReactNode) | undefined
  /** Shown when not licensed (`unlicensed` or `denied`) or without `feature`: the upsell, a lock, nothing. */
  fallback?: ReactNode | undefined
  /** Shown while the status is `loading`, never the fallback: a skeleton, a spinner, nothing. */
  pending?: ReactNode | undefined
}

type Gate = 'pending' | 'licensed' | 'fallback'

function gateOf(state: LicenseState, feature: EntitlementName | undefined): Gate {
  if (state.status === 'loading') return 'pending'
  if (!isLicensed(state)) return 'fallback'
  return feature === undefined || entitlementOf(state, feature) ? 'licensed' : 'fallback'
}

/**
 * Renders `children` only when licensed (and, with `feature`, when the license has that
 * entitlement), `pending` while the license is loading and `fallback` otherwise. A paying user never sees the fallback while their license loads.
 * Plain children select the gate only, so a state change inside the same gate does not
 * re-render; a render-function child sees the whole state, so it re-renders on every change.
 */
export function Licensed({ children, feature, fallback, pending }: LicensedProps): ReactElement {
  const gateFor = useCallback((state: LicenseState) => gateOf(state, feature), [feature])
  const selected = useClientSelector<LicenseState | Gate>(
    useProvidedClient('<Licensed>'),
    typeof children === 'function' ? selectState : gateFor,
  )
  const gate = typeof selected === 'string' ? selected : gateFor(selected)
  if (gate !== 'licensed') return <>{gate === 'pending' ? pending : fallback}</>
  return <>{typeof children === 'function' ? children(selected as LicenseState) : children}</>
}
