// One way to build and measure a gating app, shared by the bundle budget
// (scripts/bundle-size.mjs) and the side-by-side comparison (bench/bundle-compare): esbuild,
// bundled, minified, ESM for the browser, React and react-dom left external, production
// defines; then gzip level 9 and brotli quality 11 of the one output file.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/** The licensekit gating app: LicenseProvider + useLicense + <Licensed>. */
export const LICENSEKIT_GATING_APP = `
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'
import { LicenseProvider, Licensed, useLicense } from '@licensekit/react'

function Status() {
  const status = useLicense((state) => state.status)
  return createElement('p', null, status)
}

createRoot(document.getElementById('root')).render(
  createElement(
    LicenseProvider,
    { endpoint: '/api/license' },
    createElement(Status),
    createElement(Licensed, { fallback: 'Upgrade', pending: '…' }, 'Premium'),
  ),
)
`

/**
 * Bundles `contents` (JavaScript, imports resolved from `resolveDir`) and returns the code,
 * its minified, gzip and brotli byte counts and esbuild's metafile.
 */
export async function bundleApp({ contents, resolveDir }) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    external: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  return {
    code,
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }).length,
    metafile: result.metafile,
  }
}
