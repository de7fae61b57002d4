import { createLicenseProxy, type LicenseProxyHandler } from '@licensekit/core/server'
import { ADMIN_COOKIE, cookieOf, isAdminSession } from './admin-session'
import { type AppConfig, readConfig } from './config'
import { createFileKeyStore } from './key-store'

/** The installation-mode proxy: the key lives on the server, only the admin may change it. */
export function createAppProxy(config: AppConfig): LicenseProxyHandler {
  const store = createFileKeyStore(config.keyFile)
  return createLicenseProxy({
    secret: config.secret,
    domain: config.domain,
    upstream: config.upstream,
    resolveKey: () => store.read(),
    onActivate: (_request, key) => store.write(key),
    onDeactivate: () => store.write(null),
    authorize: (request) => isAdminSession(cookieOf(request, ADMIN_COOKIE), config.adminPassword),
  })
}

let proxy: LicenseProxyHandler | undefined

/**
 * The app's one proxy, created on first use: `next build` loads the route without the
 * runtime's environment, where a missing secret would throw.
 */
export function licenseProxy(): LicenseProxyHandler {
  proxy ??= createAppProxy(readConfig())
  return proxy
}
