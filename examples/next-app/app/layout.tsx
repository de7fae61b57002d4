import { getLicenseState } from '@licensekit/core/server'
import type { Metadata } from 'next'
import Link from 'next/link'
import type { ReactNode } from 'react'
import { AppLicenseProvider } from '../components/app-license-provider'
import { LicenseBadge } from '../components/license-badge'
import { licenseProxy } from '../lib/license-proxy'
import { pageRequest } from '../lib/page-request'
import './styles.css'

export const metadata: Metadata = { title: 'licensekit · Next.js example' }

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request first makes the page render per request (never prerendered).
  const request = await pageRequest()
  // Installation mode: the server knows the license, so the first HTML is already licensed.
  const initialState = await getLicenseState(licenseProxy(), request)
  return (
    <html lang="en">
      <body>
        <AppLicenseProvider initialState={initialState}>
          <header>
            <nav>
              <Link href="/">Dashboard</Link>
              <Link href="/settings">Settings</Link>
            </nav>
            <LicenseBadge />
          </header>
          <main>{children}</main>
        </AppLicenseProvider>
      </body>
    </html>
  )
}
