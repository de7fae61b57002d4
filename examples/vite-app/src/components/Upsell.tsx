import { isLicensed } from '@licensekit/core'
import { useLicense } from '@licensekit/react'
import { Link } from '../router.js'

export interface UpsellProps {
  feature: string
  title: string
  pitch: string
}

/**
 * What a feature shows without a license, or with a license whose plan lacks it: what it does,
 * and where to enter a key.
 */
export function Upsell({ feature, title, pitch }: UpsellProps) {
  const licensed = useLicense(isLicensed)
  return (
    <div className="card upsell" data-upsell={feature}>
      <div className="upsell__head">
        <span className="badge">Pro</span>
        <h3>{title}</h3>
      </div>
      <p className="muted">{pitch}</p>
      {licensed && <p className="muted">Your plan does not include {title.toLowerCase()}.</p>}
      <Link className="button button--secondary" to="/settings">
        {licensed ? 'Enter another license key' : 'Enter a license key'}
      </Link>
    </div>
  )
}

/** A placeholder while the saved license is being read: never the upsell for a paying user. */
export function FeaturePending({ title }: { title: string }) {
  return (
    <div className="card card--pending" aria-busy="true">
      <h3>{title}</h3>
      <div className="skeleton" />
      <span className="visually-hidden">Checking your license…</span>
    </div>
  )
}
