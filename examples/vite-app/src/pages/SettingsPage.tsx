import type { LicenseState } from '@licensekit/core'
import { describeLicenseReason, useLicense, useLicenseKeyInput } from '@licensekit/react'
import { type FormEvent, useState } from 'react'
import { formatDate, formatDateTime } from '../format.js'
import { graceDaysLeft, plural, reasonTitle } from '../reason-words.js'

/** The status line: the client's status word, then the reason in words. */
function statusSummary(state: LicenseState): string {
  const reason = state.reason === null ? null : describeLicenseReason(state.reason)
  switch (state.status) {
    case 'loading':
      return 'Reading the saved license…'
    case 'unlicensed':
      return 'No license on this installation. Enter a key below to unlock the Pro features.'
    case 'active':
      return 'The license is valid and the Pro features are on.'
    case 'grace':
      return `offline — ${plural(graceDaysLeft(state, Date.now()), 'day')} left. ${reason ?? ''}`.trim()
    case 'denied':
      return state.reason === null
        ? 'The license was refused.'
        : `${capitalize(reasonTitle(state.reason))}. ${reason}`
  }
}

function LicenseStatus({ state }: { state: LicenseState }) {
  return (
    <div className="status" data-status={state.status}>
      <h2 id="license-status-title" className="status__title">
        License status
      </h2>
      <p
        role="status"
        aria-labelledby="license-status-title"
        aria-atomic="true"
        className="status__text"
      >
        <span className={`chip chip--${state.status}`}>{state.status}</span>{' '}
        <span>{statusSummary(state)}</span>
        {state.isChecking ? <span className="muted"> Checking…</span> : null}
      </p>
    </div>
  )
}

function LicenseDetails({ state, domain }: { state: LicenseState; domain: string }) {
  const { license } = state
  const slots =
    license?.activationsLimit === undefined
      ? '—'
      : `${license.activationsCount ?? '?'} of ${license.activationsLimit} used`
  return (
    <dl className="details">
      <div>
        <dt>License key</dt>
        <dd className="mono">{license?.key ?? 'None'}</dd>
      </div>
      <div>
        <dt>Activation slots</dt>
        <dd data-field="slots">{slots}</dd>
      </div>
      <div>
        <dt>Expires</dt>
        <dd data-field="expires">{license ? formatDate(license.expiresAt, 'Never') : '—'}</dd>
      </div>
      <div>
        <dt>Last checked</dt>
        <dd>{formatDateTime(state.checkedAt, 'Not yet')}</dd>
      </div>
      <div>
        <dt>This installation</dt>
        <dd className="mono">{domain}</dd>
      </div>
      {state.status === 'grace' ? (
        <div>
          <dt>Offline grace ends</dt>
          <dd>{formatDateTime(state.graceEndsAt, '—')}</dd>
        </div>
      ) : null}
    </dl>
  )
}

function ActivateForm({ onActivated }: { onActivated: (state: LicenseState) => void }) {
  // The field empties once the key is activated: the page shows the masked key instead.
  const input = useLicenseKeyInput({
    onActivated: (state) => {
      input.reset()
      onActivated(state)
    },
  })
  const { error } = input
  const message =
    error !== null && input.formatError === null
      ? `${capitalize(reasonTitle(error.code))}. ${input.errorMessage}`
      : input.message

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    void input.submit()
  }

  const describedBy = ['license-key-hint', input.inputProps['aria-describedby']]
    .filter(Boolean)
    .join(' ')

  return (
    <form className="key-form" onSubmit={submit} noValidate>
      <label htmlFor="license-key">License key</label>
      <div className="key-form__row">
        <input
          {...input.inputProps}
          id="license-key"
          className="input mono"
          placeholder="DEMO-XXXX-XXXX-XXXX-XXXX"
          aria-describedby={describedBy}
        />
        <button type="submit" className="button button--primary" aria-busy={input.isPending}>
          Activate
        </button>
      </div>
      <p id="license-key-hint" className="hint">
        Upper or lower case, with or without dashes.
      </p>
      <p
        {...input.messageProps}
        className={message ? 'field-message field-message--error' : 'field-message'}
      >
        {input.isPending ? 'Activating…' : message}
      </p>
    </form>
  )
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function SettingsPage({ domain }: { domain: string }) {
  const license = useLicense()
  // A notice belongs to the status it reported: a later change (a check, another tab) hides it.
  const [notice, setNotice] = useState<{ text: string; status: LicenseState['status'] } | null>(
    null,
  )

  async function remove() {
    setNotice(null)
    const state = await license.deactivate()
    setNotice({
      status: state.status,
      text:
        state.license === null
          ? 'The license was removed from this installation and its activation slot is free.'
          : 'The license could not be removed. Try again.',
    })
  }

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Settings</h1>
        <p className="muted">Manage the Northwind Pro license of this installation.</p>
      </div>

      <section className="card settings" aria-labelledby="license-title">
        <h2 id="license-title" className="visually-hidden">
          License
        </h2>
        <LicenseStatus state={license} />
        <LicenseDetails state={license} domain={domain} />
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void license.refresh()}
            aria-busy={license.isChecking}
          >
            Check now
          </button>
          {license.license !== null ? (
            <button type="button" className="button button--danger" onClick={() => void remove()}>
              Remove license from this installation
            </button>
          ) : null}
        </div>
        <p className="notice" aria-live="polite">
          {notice?.status === license.status ? notice.text : null}
        </p>
      </section>

      <section className="card settings" aria-labelledby="activate-title">
        <h2 id="activate-title">
          {license.license === null ? 'Activate a license' : 'Use another key'}
        </h2>
        <ActivateForm
          onActivated={(state) => setNotice({ status: state.status, text: 'License activated.' })}
        />
      </section>
    </>
  )
}
