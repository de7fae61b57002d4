import { describeLicenseReason, useLicense } from '@licensekit/react'
import { formatDate } from '../format.js'
import { graceDaysLeft, plural, reasonTitle } from '../reason-words.js'
import { Link } from '../router.js'

/** The app-wide notice: offline grace with the days left, or why the license was refused. */
export function LicenseBanner() {
  const { status, reason, graceEndsAt } = useLicense()
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
  if (status === 'denied') {
    return (
      <div className="banner banner--danger" data-banner="denied">
        <p>
          <strong>License {reason === null ? 'refused' : reasonTitle(reason)}.</strong>{' '}
          {reason === null ? null : describeLicenseReason(reason)}{' '}
          <Link to="/settings">Manage your license</Link>
        </p>
      </div>
    )
  }
  return null
}
