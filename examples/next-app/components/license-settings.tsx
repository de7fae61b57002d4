'use client'

import {
  describeLicenseError,
  describeLicenseReason,
  type UseLicenseResult,
  useLicense,
  useLicenseActions,
  useLicenseKeyInput,
} from '@licensekit/react'
import { useState } from 'react'

/** The installation's license: a status line, and for the admin the key form or the buttons. */
export function LicenseSettings({ canManage }: { canManage: boolean }) {
  const license = useLicense()
  return (
    <section aria-labelledby="license-heading">
      <h2 id="license-heading">License</h2>
      <p role="status" aria-label="License status">
        {statusLine(license)}
      </p>
      {!canManage || license.status === 'loading' ? null : license.isLicensed ? (
        <LicenseActions />
      ) : (
        <LicenseKeyForm />
      )}
    </section>
  )
}

function statusLine(license: UseLicenseResult): string {
  const held = license.license
  switch (license.status) {
    case 'loading':
      return 'Checking the license…'
    case 'active':
      return `Licensed with ${held?.key}${held?.expiresAt ? `, valid until ${held.expiresAt.slice(0, 10)}` : ''}.`
    case 'grace':
      return `Licensed while the license server is unreachable, until ${license.graceEndsAt?.slice(0, 10)}.`
    case 'unlicensed':
      return 'This installation has no license yet.'
    case 'denied':
      return `Not licensed. ${describeLicenseReason(license.reason) ?? ''}`
  }
}

function LicenseKeyForm() {
  const field = useLicenseKeyInput()
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void field.submit()
      }}
    >
      <label htmlFor="license-key">License key</label>{' '}
      <input id="license-key" {...field.inputProps} />{' '}
      <button type="submit" disabled={!field.isComplete || field.isPending}>
        {field.isPending ? 'Activating…' : 'Activate'}
      </button>
      {field.message === null ? null : <p {...field.messageProps}>{field.message}</p>}
    </form>
  )
}

function LicenseActions() {
  const { isChecking, refresh } = useLicense()
  const { deactivate } = useLicenseActions()
  const [problem, setProblem] = useState<string | null>(null)
  const run = (command: () => Promise<unknown>) => {
    setProblem(null)
    command().catch((error: unknown) => setProblem(describeLicenseError(error)))
  }
  return (
    <div>
      <button type="button" onClick={() => run(refresh)} disabled={isChecking}>
        {isChecking ? 'Checking…' : 'Check now'}
      </button>{' '}
      <button
        type="button"
        onClick={() => {
          if (window.confirm('Remove the license from this installation?')) run(deactivate)
        }}
      >
        Remove license
      </button>
      {problem === null ? null : <p role="alert">{problem}</p>}
    </div>
  )
}
