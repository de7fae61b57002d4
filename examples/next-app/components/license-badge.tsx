'use client'

import { Licensed } from '@licensekit/react'

/**
 * A render-function child of `<Licensed>`: a function cannot cross from a Server Component to
 * a Client Component, so this form lives in a `'use client'` file.
 */
export function LicenseBadge() {
  return (
    <Licensed
      pending={
        <span className="badge" data-license-pending="">
          Checking…
        </span>
      }
      fallback={
        <span className="badge" data-status="denied">
          Free plan
        </span>
      }
    >
      {(state) => (
        <span className="badge" data-status={state.status}>
          {state.status === 'grace' ? 'Pro (offline)' : 'Pro'}
        </span>
      )}
    </Licensed>
  )
}
