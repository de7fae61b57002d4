import { useLicenseToken } from '@licensekit/react'
import { useState } from 'react'

/** The premium route this feature downloads from; it needs the `export` entitlement. */
export const EXPORT_URL = '/api/premium/export.csv'

type ExportState = 'idle' | 'exporting' | 'done' | 'refused' | 'failed'

const FOOT: Record<ExportState, string> = {
  idle: '3 months · 3 columns',
  exporting: 'Preparing the export…',
  done: 'northwind-report.csv downloaded.',
  refused: 'The server refused the export: check your license on the settings page.',
  failed: 'The export could not be downloaded. Try again.',
}

/** Hands a downloaded file to the browser as `name`. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  URL.revokeObjectURL(url)
}

/**
 * Premium feature two: the report as CSV, from the app's own premium API. `fetch` from
 * `useLicenseToken()` sends the license token, which the server's guard checks.
 */
export function ExportFeature() {
  const { fetch } = useLicenseToken()
  const [state, setState] = useState<ExportState>('idle')

  async function download() {
    setState('exporting')
    try {
      const response = await fetch(EXPORT_URL)
      if (!response.ok) {
        setState(response.status === 401 || response.status === 403 ? 'refused' : 'failed')
        return
      }
      save(await response.blob(), 'northwind-report.csv')
      setState('done')
    } catch {
      setState('failed')
    }
  }

  return (
    <div className="card feature" data-licensed-feature="export">
      <div className="feature__head">
        <h3>CSV export</h3>
        <span className="badge badge--success">Pro</span>
      </div>
      <p className="muted">Download the quarter's orders and revenue for your spreadsheet.</p>
      <button
        type="button"
        className="button button--primary"
        onClick={() => void download()}
        disabled={state === 'exporting'}
      >
        Export CSV
      </button>
      <p className="feature__foot" aria-live="polite">
        {FOOT[state]}
      </p>
    </div>
  )
}
