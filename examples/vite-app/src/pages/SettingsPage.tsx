import type { LicenseBinding, LicenseState } from '@licensekit/core'
import { useLicense } from '@licensekit/react'
import { useState } from 'react'
import { ActivateForm } from '../components/ActivateForm.js'
import { RemoveLicense } from '../components/RemoveLicense.js'
import { SupportLink } from '../components/SupportLink.js'
import { formatDate, formatDateTime } from '../format.js'
import {
  checkNotice,
  pendingWords,
  removalNotice,
  statusSummary,
  visibleStatus,
} from '../status-words.js'

/** A notice belongs to the state it reported: a later change (a check, another tab) hides it. */
interface Notice {
  text: string
  state: LicenseState
}

/**
 * The page's one live region: the status word, the sentence, and what the last command did.
 * Everything that changes is said here, once.
 */
function LicenseStatus({ state, notice }: { state: LicenseState; notice: string | null }) {
  const status = visibleStatus(state)
  return (
    <div className="status" data-status={status}>
      <h2 id="license-status-title" className="status__title">
        License status
      </h2>
      <div
        role="status"
        aria-labelledby="license-status-title"
        aria-atomic="true"
        className="status__text"
      >
        <p>
          <span className={`chip chip--${status}`}>{status}</span>{' '}
          <span>{statusSummary(state, Date.now())}</span>
          {state.isChecking ? <span className="muted"> Checking…</span> : null}
        </p>
        {notice === null ? null : <p className="notice">{notice}</p>}
      </div>
    </div>
  )
}

const SLOT_RULES: Readonly<Record<LicenseBinding, string>> = {
  site: 'One per site: every browser here shares it',
  device: 'One per browser profile',
}

function LicenseDetails(props: { state: LicenseState; domain: string; binding: LicenseBinding }) {
  const { state, domain, binding } = props
  const { license } = state
  const slots =
    license?.activationsLimit === undefined
      ? '—'
      : `${license.activationsCount ?? '?'} of ${license.activationsLimit} used`
  const pending = pendingWords(state.pendingDeactivations)
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
        <dt>A slot counts</dt>
        <dd data-field="binding">{SLOT_RULES[binding]}</dd>
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
      {pending === null ? null : (
        <div>
          <dt>Waiting to be released</dt>
          <dd data-field="pending">{pending}</dd>
        </div>
      )}
    </dl>
  )
}

export function SettingsPage(props: { domain: string; binding: LicenseBinding }) {
  const license = useLicense()
  const [notice, setNotice] = useState<Notice | null>(null)
  const say = (text: string, state: LicenseState) => setNotice({ text, state })
  const shown = notice !== null && visibleStatus(notice.state) === visibleStatus(license)

  async function check() {
    setNotice(null)
    const state = await license.refresh()
    say(checkNotice(state), state)
  }

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Settings</h1>
        <p className="muted">
          Manage the Northwind Pro license of this installation. Questions? <SupportLink />.
        </p>
      </div>

      <section className="card settings" aria-labelledby="license-title">
        <h2 id="license-title" className="visually-hidden">
          License
        </h2>
        <LicenseStatus state={license} notice={shown ? notice.text : null} />
        <LicenseDetails state={license} domain={props.domain} binding={props.binding} />
        <div className="actions">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void check()}
            aria-busy={license.isChecking}
          >
            Check now
          </button>
          <RemoveLicense
            onRemoved={({ outcome, state }) => {
              say(removalNotice(outcome), state)
              // The button is gone: the key field is where the next step starts.
              document.getElementById('license-key')?.focus()
            }}
          />
        </div>
      </section>

      <section className="card settings" aria-labelledby="activate-title">
        <h2 id="activate-title">
          {license.license === null ? 'Activate a license' : 'Use another key'}
        </h2>
        <ActivateForm onActivated={(state) => say('License activated.', state)} />
      </section>
    </>
  )
}
