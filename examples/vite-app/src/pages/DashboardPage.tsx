import { Licensed } from '@licensekit/react'
import { ExportFeature } from '../components/ExportFeature.js'
import { ForecastFeature } from '../components/ForecastFeature.js'
import { FeaturePending, Upsell } from '../components/Upsell.js'

const KPIS = [
  { label: 'Orders this month', value: '1,284', change: '+3.3%' },
  { label: 'Revenue', value: '$51.0k', change: '+7.7%' },
  { label: 'Conversion rate', value: '3.4%', change: '+0.2 pts' },
]

export function DashboardPage() {
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Dashboard</h1>
        <p className="muted">
          Your store at a glance. Forecasts and exports come with Northwind Pro.
        </p>
      </div>

      <section aria-labelledby="overview-title">
        <h2 id="overview-title">Overview</h2>
        <ul className="kpis">
          {KPIS.map((kpi) => (
            <li key={kpi.label} className="card kpi">
              <span className="kpi__label">{kpi.label}</span>
              <span className="kpi__value">{kpi.value}</span>
              <span className="kpi__change">{kpi.change} on last month</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="pro-title">
        <h2 id="pro-title">Pro features</h2>
        <div className="grid">
          <Licensed
            feature="forecast"
            pending={<FeaturePending title="Revenue forecast" />}
            fallback={
              <Upsell
                feature="forecast"
                title="Revenue forecast"
                pitch="See the next three months of revenue, projected from your recent orders."
              />
            }
          >
            <ForecastFeature />
          </Licensed>
          <Licensed
            feature="export"
            pending={<FeaturePending title="CSV export" />}
            fallback={
              <Upsell
                feature="export"
                title="CSV export"
                pitch="Download orders and revenue as CSV for your accountant or your spreadsheet."
              />
            }
          >
            <ExportFeature />
          </Licensed>
        </div>
      </section>
    </>
  )
}
