import type { DeactivationOutcome, LicenseState, LicenseStatus } from '@licensekit/core'
import { describeLicenseReason } from '@licensekit/react'
import { formatDate } from './format.js'
import { graceDaysLeft, plural, reasonTitle } from './reason-words.js'

/**
 * The status the page shows. A key refused while nothing was licensed (a typo on a fresh
 * install, a key held elsewhere) leaves the page as it was, `unlicensed`: the key field says
 * what was wrong, once, and nothing turns red.
 */
export function visibleStatus(state: Pick<LicenseState, 'status' | 'license'>): LicenseStatus {
  return state.status === 'denied' && state.license === null ? 'unlicensed' : state.status
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * The date an expired license ran out, when the saved license knows one that has passed (a
 * license expired early by its seller still carries its old, later date: none is shown then).
 */
export function expiryDate(state: Pick<LicenseState, 'license'>, now: number): string | null {
  const iso = state.license?.expiresAt ?? null
  if (iso === null || Date.parse(iso) > now) return null
  return formatDate(iso, '') || null
}

/** "Expired on Mar 4, 2027." when the date is known. */
function expiredWords(state: LicenseState, now: number): string {
  const date = expiryDate(state, now)
  return date === null ? 'Expired.' : `Expired on ${date}.`
}

/** The sentence after the status word in the status region. */
export function statusSummary(state: LicenseState, now: number): string {
  switch (visibleStatus(state)) {
    case 'loading':
      return 'Reading the saved license…'
    case 'unlicensed':
      return 'Not licensed yet. Enter the license key from your purchase email to unlock the Pro features.'
    case 'active':
      return 'The license is valid and the Pro features are on.'
    case 'grace':
      return `offline — ${plural(graceDaysLeft(state, now), 'day')} left. The license service could not be reached; the Pro features stay on meanwhile.`
    case 'denied': {
      if (state.reason === null) return 'The license was refused.'
      const lead =
        state.reason === 'expired'
          ? expiredWords(state, now)
          : `${capitalize(reasonTitle(state.reason))}.`
      return `${lead} ${describeLicenseReason(state.reason)}`
    }
  }
}

/** What "Check now" found, said right after it answered. */
export function checkNotice(state: LicenseState): string {
  switch (visibleStatus(state)) {
    case 'active':
      return 'Checked just now — still active.'
    case 'grace':
      return 'Checked just now — the license service could not be reached.'
    case 'denied':
      return `Checked just now — ${state.reason === null ? 'refused' : reasonTitle(state.reason)}.`
    default:
      return 'Checked just now — no license on this browser.'
  }
}

/** What "Remove" did with the activation slot, and never more. */
export function removalNotice(outcome: DeactivationOutcome): string {
  switch (outcome) {
    case 'freed':
      return 'License removed. Its activation slot is free for another browser or site.'
    case 'queued':
      return 'License removed from this browser. The license service could not be reached, so its activation slot is queued: it will be released when you are back online.'
    case 'not_held':
      return 'License removed from this browser. It held no activation slot, so none was freed.'
  }
}

/** The line about removals not confirmed yet, or null when there are none. */
export function pendingWords(count: number): string | null {
  if (count === 0) return null
  return `${plural(count, 'activation slot')} waiting to be released: ${count === 1 ? 'it is' : 'they are'} released when you are back online.`
}
