import type { DeactivationResult } from '@licensekit/core'
import { describeLicenseError, useLicense, useLicenseActions } from '@licensekit/react'
import { useRef, useState } from 'react'
import { DEMO_KEY_FORMAT } from '../config.js'

/**
 * "Remove license" behind a confirmation: a modal `<dialog>` (focus moves to Cancel, Escape or
 * Cancel closes it and focus returns to the button). `onRemoved` hears what happened to the
 * activation slot; a refusal stays in the dialog as an alert.
 */
export function RemoveLicense({ onRemoved }: { onRemoved: (result: DeactivationResult) => void }) {
  const held = useLicense((state) => state.license !== null)
  const { deactivate } = useLicenseActions()
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function confirm() {
    setBusy(true)
    try {
      const result = await deactivate()
      dialog.current?.close()
      onRemoved(result)
    } catch (error) {
      setProblem(describeLicenseError(error, DEMO_KEY_FORMAT))
    } finally {
      setBusy(false)
    }
  }

  if (!held) return null
  return (
    <>
      <button
        type="button"
        className="button button--danger"
        onClick={() => {
          setProblem(null)
          dialog.current?.showModal()
          // The safe choice has the focus when the dialog opens.
          cancel.current?.focus()
        }}
      >
        Remove license from this installation
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="remove-title"
        aria-describedby="remove-text"
      >
        <h2 id="remove-title">Remove the license?</h2>
        <p id="remove-text">
          The Pro features turn off here, and the license gives its activation slot back so the key
          can be used elsewhere.
        </p>
        {problem === null ? null : <p role="alert">{problem}</p>}
        <div className="actions">
          <button
            type="button"
            className="button button--danger"
            onClick={() => void confirm()}
            aria-busy={busy}
          >
            Yes, remove it
          </button>
          <button
            ref={cancel}
            type="button"
            className="button button--secondary"
            onClick={() => dialog.current?.close()}
          >
            Cancel
          </button>
        </div>
      </dialog>
    </>
  )
}
