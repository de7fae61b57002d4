import type { Plugin, PreviewServer, ViteDevServer } from 'vite'
import {
  createLicenseProxy,
  type LicenseProxyHandler,
} from '../server/proxy/create-license-proxy.js'
import { toNodeHandler } from '../server/proxy/node-handler.js'
import type { LicenseProxyOptions } from '../server/proxy/options.js'

/** The proxy's options (created once, when the first server starts), or a proxy you made. */
export type LicensekitDevOptions = LicenseProxyOptions | LicenseProxyHandler

/**
 * A Vite plugin that serves the license proxy at its `basePath` on the dev server
 * (`vite`) and the preview server (`vite preview`), ahead of Vite's own middlewares, so
 * the app's `fetch('/api/license/…')` is same-origin with no second process. Without a
 * `log` option, the proxy's operational lines go to Vite's logger. `vite build` ignores it.
 */
export function licensekitDev(options: LicensekitDevOptions): Plugin {
  let proxy: LicenseProxyHandler | null = typeof options === 'function' ? options : null

  function mount(server: ViteDevServer | PreviewServer): void {
    if (proxy === null && typeof options !== 'function') {
      const logger = server.config.logger
      proxy = createLicenseProxy({
        ...options,
        log: options.log ?? ((line) => logger.warn(line, { timestamp: true })),
      })
    }
    if (proxy !== null) server.middlewares.use(toNodeHandler(proxy))
  }

  return {
    name: 'licensekit-dev',
    configureServer: mount,
    configurePreviewServer: mount,
  }
}
