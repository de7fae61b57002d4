const MONTHS = [
  { month: 'Jan', actual: 42, forecast: 42 },
  { month: 'Feb', actual: 47, forecast: 46 },
  { month: 'Mar', actual: 51, forecast: 52 },
  { month: 'Apr', actual: null, forecast: 57 },
  { month: 'May', actual: null, forecast: 61 },
  { month: 'Jun', actual: null, forecast: 66 },
] as const

const HEIGHT = 120
const MAX = 70

/** Premium feature one: a six-month revenue forecast. */
export function ForecastFeature() {
  return (
    <div className="card feature" data-licensed-feature="forecast">
      <div className="feature__head">
        <h3>Revenue forecast</h3>
        <span className="badge badge--success">Pro</span>
      </div>
      <p className="muted">Projected monthly revenue (thousand USD), from your last 90 days.</p>
      <svg
        className="chart"
        viewBox={`0 0 ${MONTHS.length * 48} ${HEIGHT + 20}`}
        role="img"
        aria-label="Revenue: January 42, February 47, March 51 thousand; forecast April 57, May 61, June 66 thousand"
      >
        {MONTHS.map(({ month, actual, forecast }, index) => {
          const value = actual ?? forecast
          const height = (value / MAX) * HEIGHT
          return (
            <g key={month}>
              <rect
                className={actual === null ? 'chart__bar chart__bar--forecast' : 'chart__bar'}
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
      <p className="feature__foot">
        Forecast for June: <strong>$66k</strong> (+29% on March)
      </p>
    </div>
  )
}
