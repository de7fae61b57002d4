'use client'

import { describeLicenseReason, useLicense } from '@licensekit/react'
import Link from 'next/link'

/** What an unlicensed or refused installation sees instead of the feature, and why. */
export function Upsell() {
  const reason = useLicense((state) => state.reason)
  return (
    <aside data-upsell="forecast">
      <p>Revenue forecasts are part of Pro.</p>
      {reason === null ? null : <p>{describeLicenseReason(reason)}</p>}
      <p>
        Enter a license key in <Link href="/settings">Settings</Link>.
      </p>
    </aside>
  )
}
