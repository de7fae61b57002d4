import { useLicense, useLicenseClient } from '@licensekit/react'
import { useEffect, useRef } from 'react'
import { LicenseBanner } from './components/LicenseBanner.js'
import { SupportLink } from './components/SupportLink.js'
import type { DemoClientConfig } from './config.js'
import { DashboardPage } from './pages/DashboardPage.js'
import { NotFoundPage } from './pages/NotFoundPage.js'
import { SettingsPage } from './pages/SettingsPage.js'
import { Link, usePath } from './router.js'
import { visibleStatus } from './status-words.js'

const TITLES: Readonly<Record<string, string>> = {
  '/': 'Dashboard',
  '/settings': 'Settings',
}

function LicensePill() {
  const status = useLicense(visibleStatus)
  return (
    <Link to="/settings" className={`pill chip--${status}`}>
      <span className="visually-hidden">License: </span>
      {status === 'active' || status === 'grace' ? 'Pro' : status === 'loading' ? '…' : 'Free'}
    </Link>
  )
}

function Page({ path, config }: { path: string; config: DemoClientConfig }) {
  if (path === '/') return <DashboardPage />
  if (path === '/settings') return <SettingsPage domain={config.domain} binding={config.binding} />
  return <NotFoundPage />
}

/**
 * A license read from the cache is confirmed with the proxy once per page load (in a visible
 * tab), so a proxy that cannot be reached shows the grace banner at once rather than at the
 * next heartbeat.
 */
function useCheckOnLoad(): void {
  const { refresh } = useLicenseClient()
  const fromCache = useLicense((state) => state.source === 'cache' && state.status === 'active')
  const checked = useRef(false)
  useEffect(() => {
    if (!fromCache || checked.current || document.visibilityState !== 'visible') return
    checked.current = true
    void refresh()
  }, [fromCache, refresh])
}

export function App({ config }: { config: DemoClientConfig }) {
  useCheckOnLoad()
  const path = usePath()
  const main = useRef<HTMLElement>(null)
  const firstRender = useRef(true)

  useEffect(() => {
    document.title = `${TITLES[path] ?? 'Not found'} · Northwind Analytics`
    if (firstRender.current) {
      firstRender.current = false
      return
    }
    // After a client-side navigation, screen readers and keyboards start at the new heading.
    main.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [path])

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              N
            </span>
            Northwind Analytics
          </Link>
          <nav aria-label="Main">
            <ul className="nav">
              <li>
                <Link to="/">Dashboard</Link>
              </li>
              <li>
                <Link to="/settings">Settings</Link>
              </li>
            </ul>
          </nav>
          <LicensePill />
        </div>
      </header>
      <div className="container">
        <LicenseBanner />
        <main id="main" ref={main} tabIndex={-1}>
          <Page path={path} config={config} />
        </main>
      </div>
      <footer className="footer">
        <div className="container">
          A licensekit demo. The license is checked by the proxy at <code>{config.endpoint}</code>,
          which keeps the secret: it never reaches this page. Help with a license:{' '}
          <SupportLink>support@northwind.example</SupportLink>.
        </div>
      </footer>
    </>
  )
}
