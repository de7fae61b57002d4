const FORECAST = [
  { month: 'January', revenue: 48_200 },
  { month: 'February', revenue: 51_900 },
  { month: 'March', revenue: 57_400 },
]

/** The paid feature. Rendered on the server: plain children of `<Licensed>` need no client code. */
export function ForecastFeature() {
  return (
    <section data-licensed-feature="forecast" aria-labelledby="forecast-heading">
      <h2 id="forecast-heading">Revenue forecast</h2>
      <table>
        <tbody>
          {FORECAST.map(({ month, revenue }) => (
            <tr key={month}>
              <th scope="row">{month}</th>
              <td>${revenue.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
