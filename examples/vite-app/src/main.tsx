import { createLicenseClient } from '@licensekit/core'
import { LicenseProvider } from '@licensekit/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'
import { readClientConfig } from './config.js'
import './styles.css'

function ConfigMissing() {
  return (
    <main className="container config-missing">
      <h1>Licensing is not configured</h1>
      <p>
        This page was served without its licensekit configuration. Start the demo with{' '}
        <code>pnpm dev</code>, or serve the build with <code>pnpm start</code>.
      </p>
    </main>
  )
}

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')

const config = readClientConfig(document)
const root = createRoot(container)
if (config === null) {
  root.render(<ConfigMissing />)
} else {
  const client = createLicenseClient({
    endpoint: config.endpoint,
    domain: config.domain,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    ...(config.receiptPublicJwk ? { receiptPublicKey: config.receiptPublicJwk } : {}),
  })
  // Started before the first render, so IndexedDB opens while React renders; the provider's own
  // start/stop are counted with this one and never stop it.
  client.start()
  root.render(
    <StrictMode>
      <LicenseProvider client={client}>
        <App config={config} />
      </LicenseProvider>
    </StrictMode>,
  )
}
