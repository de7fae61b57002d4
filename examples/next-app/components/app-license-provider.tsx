'use client'

import type { LicenseState } from '@licensekit/core'
import { LicenseProvider } from '@licensekit/react'
import type { ReactNode } from 'react'

/**
 * The client side of the first paint: starts from the state the server rendered with, so the
 * HTML and the first client render agree and nothing flashes to loading.
 */
export function AppLicenseProvider({
  initialState,
  children,
}: {
  initialState: LicenseState
  children: ReactNode
}) {
  return (
    <LicenseProvider endpoint="/api/license" mode="installation" initialState={initialState}>
      {children}
    </LicenseProvider>
  )
}
