'use client'
import { isLicensed, type LicenseState } from '@licensekit/core'
import type { ReactElement, ReactNode } from 'react'
import { useProvidedClient } from './context.js'
import { selectState, useClientSelector } from './use-license.js'

export interface LicensedProps {
  /** Shown only while the license is `active` or `grace`; a function receives the state. */
  children?: ReactNode | ((state: LicenseState) => ReactNode) | undefined
  /** Shown when not licensed (`unlicensed` or `denied`): the upsell, a lock, nothing. */
  fallback?: ReactNode | undefined
  /** Shown while the status is `loading`, never the fallback: a skeleton, a spinner, nothing. */
  pending?: ReactNode | undefined
}

type Gate = 'pending' | 'licensed' | 'fallback'

function gateOf(state: LicenseState): Gate {
  if (state.status === 'loading') return 'pending'
  return isLicensed(state) ? 'licensed' : 'fallback'
}

/**
 * Renders `children` only when licensed, `pending` while the license is loading and
 * `fallback` otherwise. A paying user never sees the fallback while their license loads.
 * Plain children select the gate only, so a state change inside the same gate does not
 * re-render; a render-function child sees the whole state, so it re-renders on every change.
 */
export function Licensed({
  children,
  fallback = null,
  pending = null,
}: LicensedProps): ReactElement {
  const selected = useClientSelector<LicenseState | Gate>(
    useProvidedClient('<Licensed>'),
    typeof children === 'function' ? selectState : gateOf,
  )
  const gate = typeof selected === 'string' ? selected : gateOf(selected)
  if (gate !== 'licensed') return <>{gate === 'pending' ? pending : fallback}</>
  return <>{typeof children === 'function' ? children(selected as LicenseState) : children}</>
}
