import { describeLicenseReason, useLicense } from '@licensekit/react'
import { formatDate } from '../format.js'
import { graceDaysLeft, plural, reasonTitle } from '../reason-words.js'
import { Link } from '../router.js'
import { expiryDate } from '../status-words.js'
import { SupportLink } from './SupportLink.js'

/**
 * The app-wide notice: offline grace with the days left, or why a license this browser held
 * was refused. A key refused on a fresh install is no news for the whole app: the key field
 * says it.
 */
export function LicenseBanner() {
  const { status, reason, graceEndsAt, license } = useLicense()
  if (status === 'grace') {
    const days = graceDaysLeft({ graceEndsAt }, Date.now())
    return (
      <div className="banner banner--warning" data-banner="grace">
        <p>
          <strong>Offline — {plural(days, 'day')} left.</strong> The license could not be checked,
          so your Pro features stay on until {formatDate(graceEndsAt, 'the grace period ends')}.{' '}
          {reason === null || reason === 'unreachable' ? null : describeLicenseReason(reason)}
        </p>
      </div>
    )
  }
  if (status === 'denied' && license !== null) {
    const expiry = reason === 'expired' ? expiryDate({ license }, Date.now()) : null
    const title = reason === null ? 'refused' : reasonTitle(reason)
    return (
      <div className="banner banner--danger" data-banner="denied">
        <p>
          <strong>
            License {title}
            {expiry === null ? '' : ` on ${expiry}`}.
          </strong>{' '}
          {reason === null ? null : describeLicenseReason(reason)}{' '}
          <Link to="/settings">Manage your license</Link> or{' '}
          <SupportLink>contact support</SupportLink>.
        </p>
      </div>
    )
  }
  return null
}
