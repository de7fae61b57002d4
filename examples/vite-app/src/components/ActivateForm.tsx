import type { LicenseState } from '@licensekit/core'
import { useLicenseKeyInput } from '@licensekit/react'
import type { FormEvent } from 'react'
import { reasonTitle } from '../reason-words.js'
import { SupportLink } from './SupportLink.js'

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * The key field. What went wrong with a key is said here, once, next to the field (the page's
 * status stays as it was); the words use the demo's key format (`DEMO-XXXX-…`).
 */
export function ActivateForm({ onActivated }: { onActivated: (state: LicenseState) => void }) {
  // The field empties once the key is activated: the page shows the masked key instead.
  // The key format (`DEMO-…`) comes from the client's `keyFormat` (src/license-setup.ts).
  const input = useLicenseKeyInput({
    onActivated: (state) => {
      input.reset()
      onActivated(state)
    },
  })
  const { error } = input
  const refused = error !== null && input.formatError === null
  const message = refused
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
      {refused ? (
        <p className="hint">
          Sure the key is right? <SupportLink />.
        </p>
      ) : null}
    </form>
  )
}
