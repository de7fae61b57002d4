import {
  describeLicenseError,
  describeLicenseReason,
  Licensed,
  LicenseProvider,
  type UseLicenseResult,
  useLicense,
  useLicenseActions,
  useLicenseKeyInput,
} from '@licensekit/react'
import { useState } from 'react'

export function App() {
  return (
    <LicenseProvider endpoint="/api/license">
      <LicenseSettings />
      <Licensed fallback={<UpgradeBanner />} pending={<p>Checking your license…</p>}>
        <PdfExport />
      </Licensed>
    </LicenseProvider>
  )
}

/** The settings page: a status line, the key form while not licensed, the license's buttons. */
export function LicenseSettings() {
  const license = useLicense()
  return (
    <section aria-labelledby="license-heading">
      <h2 id="license-heading">License</h2>
      <p role="status">{statusLine(license)}</p>
      {license.status === 'loading' || license.isLicensed ? null : <LicenseKeyForm />}
      {license.license === null ? null : <LicenseActions />}
    </section>
  )
}

function statusLine(license: UseLicenseResult): string {
  const held = license.license
  switch (license.status) {
    case 'loading':
      return 'Checking your license…'
    case 'active':
      return `Licensed with ${held?.key}${held?.expiresAt ? `, valid until ${held.expiresAt.slice(0, 10)}` : ''}.`
    case 'grace':
      return `Licensed while offline, until ${license.graceEndsAt?.slice(0, 10)}. ${describeLicenseReason(license.reason) ?? ''}`
    case 'unlicensed':
      return 'No license on this site yet.'
    case 'denied':
      // Without a held license this follows a refused activation, which the key form explains.
      return held === null
        ? 'Not licensed.'
        : `${held.key} cannot be used. ${describeLicenseReason(license.reason) ?? ''}`
  }
}

function LicenseKeyForm() {
  // Your keys' shape, said once: the grouping, the placeholder and the error words follow it.
  const field = useLicenseKeyInput({ format: { prefix: 'SHOP', groups: 4 } })
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void field.submit()
      }}
    >
      <label htmlFor="license-key">License key</label>
      <input id="license-key" {...field.inputProps} />
      <button type="submit" disabled={!field.isComplete || field.isPending}>
        {field.isPending ? 'Activating…' : 'Activate'}
      </button>
      {field.message === null ? null : <p {...field.messageProps}>{field.message}</p>}
    </form>
  )
}

function LicenseActions() {
  const { isChecking, checkedAt, refresh } = useLicense()
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
      </button>
      <button
        type="button"
        onClick={() => {
          if (window.confirm('Remove the license from this site?')) run(deactivate)
        }}
      >
        Remove license
      </button>
      {checkedAt === null ? null : <p>Last checked {new Date(checkedAt).toLocaleString()}.</p>}
      {problem === null ? null : <p role="alert">{problem}</p>}
    </div>
  )
}

function UpgradeBanner() {
  return (
    <aside>
      PDF export is part of Pro. <a href="/pricing">Buy a license</a>, then enter the key in the
      settings above.
    </aside>
  )
}

function PdfExport() {
  return <button type="button">Export as PDF</button>
}
