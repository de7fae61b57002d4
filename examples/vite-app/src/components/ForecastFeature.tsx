import { useLicenseToken } from '@licensekit/react'
import { useEffect, useState } from 'react'

/** The premium route the forecast comes from; it needs the `forecast` entitlement. */
export const FORECAST_URL = '/api/premium/forecast'

const ACTUAL = [
  { month: 'Jan', value: 42 },
  { month: 'Feb', value: 47 },
  { month: 'Mar', value: 51 },
]
const MONTH_NAMES: Record<string, string> = { '04': 'Apr', '05': 'May', '06': 'Jun' }

const HEIGHT = 120
const MAX = 70

interface Bar {
  month: string
  /** Thousand USD. */
  value: number
  forecast: boolean
}

type Forecast = { kind: 'loading' } | { kind: 'failed' } | { kind: 'ready'; bars: Bar[] }

/** The bars of the server's answer `{forecast: [{month: "2026-04", revenueUsd}]}`; null when malformed. */
function parseForecast(body: unknown): Bar[] | null {
  const rows = (body as { forecast?: unknown } | null)?.forecast
  if (!Array.isArray(rows)) return null
  const bars: Bar[] = []
  for (const row of rows as { month?: unknown; revenueUsd?: unknown }[]) {
    const month = typeof row.month === 'string' ? MONTH_NAMES[row.month.slice(5)] : undefined
    if (month === undefined || typeof row.revenueUsd !== 'number') return null
    bars.push({ month, value: Math.round(row.revenueUsd / 1000), forecast: true })
  }
  return bars
}

/**
 * Premium feature one: a revenue forecast, computed by the app's premium API. `fetch` from
 * `useLicenseToken()` sends the license token, which the server's guard checks.
 */
export function ForecastFeature() {
  const { fetch } = useLicenseToken()
  const [forecast, setForecast] = useState<Forecast>({ kind: 'loading' })

  useEffect(() => {
    const abort = new AbortController()
    fetch(FORECAST_URL, { signal: abort.signal })
      .then(async (response) => (response.ok ? parseForecast(await response.json()) : null))
      .then((bars) => setForecast(bars === null ? { kind: 'failed' } : { kind: 'ready', bars }))
      .catch(() => {
        if (!abort.signal.aborted) setForecast({ kind: 'failed' })
      })
    return () => abort.abort()
  }, [fetch])

  const bars: Bar[] = [
    ...ACTUAL.map((bar) => ({ ...bar, forecast: false })),
    ...(forecast.kind === 'ready' ? forecast.bars : []),
  ]
  const june = forecast.kind === 'ready' ? forecast.bars.at(-1) : undefined
  return (
    <div className="card feature" data-licensed-feature="forecast" data-forecast={forecast.kind}>
      <div className="feature__head">
        <h3>Revenue forecast</h3>
        <span className="badge badge--success">Pro</span>
      </div>
      <p className="muted">Projected monthly revenue (thousand USD), from your last 90 days.</p>
      <svg
        className="chart"
        viewBox={`0 0 ${6 * 48} ${HEIGHT + 20}`}
        role="img"
        aria-label={`Revenue in thousand USD: ${bars.map((bar) => `${bar.month} ${bar.value}${bar.forecast ? ' (forecast)' : ''}`).join(', ')}`}
      >
        {bars.map(({ month, value, forecast: projected }, index) => {
          const height = (Math.min(value, MAX) / MAX) * HEIGHT
          return (
            <g key={month}>
              <rect
                className={projected ? 'chart__bar chart__bar--forecast' : 'chart__bar'}
                x={index * 48 + 10}
                y={HEIGHT - height}
                width={28}
                height={height}
                rx={4}
              />
              <text className="chart__label" x={index * 48 + 24} y={HEIGHT + 15}>
                {month}
              </text>
            </g>
          )
        })}
      </svg>
      <p className="feature__foot" aria-live="polite">
        {forecast.kind === 'loading' && 'Computing the forecast…'}
        {forecast.kind === 'failed' && 'The forecast is not available right now.'}
        {june !== undefined && (
          <>
            Forecast for June: <strong>${june.value}k</strong> (+
            {Math.round((june.value / 51 - 1) * 100)}% on March)
          </>
        )}
      </p>
    </div>
  )
}
