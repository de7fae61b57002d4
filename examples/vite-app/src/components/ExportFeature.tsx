import { useState } from 'react'

const ROWS = [
  ['month', 'orders', 'revenue_usd'],
  ['2026-01', '1190', '42100'],
  ['2026-02', '1243', '47350'],
  ['2026-03', '1284', '51020'],
]

/** Premium feature two: exports the report as CSV. */
export function ExportFeature() {
  const [exported, setExported] = useState(false)

  function download() {
    const csv = `${ROWS.map((row) => row.join(',')).join('\n')}\n`
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
    const link = document.createElement('a')
    link.href = url
    link.download = 'northwind-report.csv'
    link.click()
    URL.revokeObjectURL(url)
    setExported(true)
  }

  return (
    <div className="card feature" data-licensed-feature="export">
      <div className="feature__head">
        <h3>CSV export</h3>
        <span className="badge badge--success">Pro</span>
      </div>
      <p className="muted">Download the quarter's orders and revenue for your spreadsheet.</p>
      <button type="button" className="button button--primary" onClick={download}>
        Download CSV
      </button>
      <p className="feature__foot" aria-live="polite">
        {exported ? 'northwind-report.csv downloaded.' : '3 months · 3 columns'}
      </p>
    </div>
  )
}
