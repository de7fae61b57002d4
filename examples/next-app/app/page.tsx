import { Licensed } from '@licensekit/react'
import { ForecastFeature } from '../components/forecast-feature'
import { Upsell } from '../components/upsell'

export default function DashboardPage() {
  return (
    <>
      <h1>Dashboard</h1>
      <Licensed
        pending={<p data-license-pending="">Checking your license…</p>}
        fallback={<Upsell />}
      >
        <ForecastFeature />
      </Licensed>
    </>
  )
}
