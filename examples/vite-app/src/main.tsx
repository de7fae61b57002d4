// Evaluated first, before React: it starts the license client (see license-setup.ts).
import './license-setup.js'
import { LicenseProvider } from '@licensekit/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'
import { client, config } from './license-setup.js'
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

const root = createRoot(container)
if (config === null || client === null) {
  root.render(<ConfigMissing />)
} else {
  root.render(
    <StrictMode>
      <LicenseProvider client={client}>
        <App config={config} />
      </LicenseProvider>
    </StrictMode>,
  )
}
