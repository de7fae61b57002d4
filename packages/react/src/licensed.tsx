'use client'
import { isLicensed, type LicenseState } from '@licensekit/core'
import type { ReactElement, ReactNode } from 'react'
import { useLicenseBinding } from './context.js'
import { useBindingSelector } from './use-license.js'

export interface LicensedProps {
  /** Shown only while the license is `active` or `grace`; a function receives the state. */
  children?: ReactNode | ((state: LicenseState) => ReactNode)
  /** Shown when not licensed (`unlicensed` or `denied`): the upsell, a lock, nothing. */
  fallback?: ReactNode
  /** Shown while the status is `loading`, never the fallback: a skeleton, a spinner, nothing. */
  pending?: ReactNode
}

type Gate = 'pending' | 'licensed' | 'fallback'

function gateOf(state: LicenseState): Gate {
  if (state.status === 'loading') return 'pending'
  return isLicensed(state) ? 'licensed' : 'fallback'
}

const selectState = (state: LicenseState): LicenseState => state

/**
 * Renders `children` only when licensed, `pending` while the license is loading and
 * `fallback` otherwise. A paying user never sees the fallback while their license loads.
 */
export function Licensed({
  children,
  fallback = null,
  pending = null,
}: LicensedProps): ReactElement {
  if (typeof children === 'function') {
    return <LicensedRender render={children} fallback={fallback} pending={pending} />
  }
  return (
    <LicensedNode fallback={fallback} pending={pending}>
      {children}
    </LicensedNode>
  )
}

interface GateProps {
  fallback: ReactNode
  pending: ReactNode
}

/** Selects the gate only, so a state change inside the same gate does not re-render. */
function LicensedNode({ children, fallback, pending }: GateProps & { children?: ReactNode }) {
  const gate = useBindingSelector(useLicenseBinding('<Licensed>'), gateOf)
  return <>{gate === 'licensed' ? children : gate === 'pending' ? pending : fallback}</>
}

/** A render-function child sees the whole state, so it re-renders on every change. */
function LicensedRender({
  render,
  fallback,
  pending,
}: GateProps & { render: (state: LicenseState) => ReactNode }) {
  const state = useBindingSelector(useLicenseBinding('<Licensed>'), selectState)
  const gate = gateOf(state)
  return <>{gate === 'licensed' ? render(state) : gate === 'pending' ? pending : fallback}</>
}
