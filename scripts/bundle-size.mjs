// Bundle budget: builds a minimal app that imports LicenseProvider, useLicense and Licensed
// and reports the min+brotli size of everything it ships except React (core client, react
// binding, idb-keyval). Fails when the size is above bundle-budget.json.
// Run after `pnpm build`: node scripts/bundle-size.mjs
import { readFileSync } from 'node:fs'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = new URL('..', import.meta.url)
const budget = JSON.parse(readFileSync(new URL('bundle-budget.json', root), 'utf8'))
const entry = `
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

const result = await build({
  stdin: {
    contents: entry,
    resolveDir: new URL('examples/vite-app/', root).pathname,
    loader: 'js',
  },
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
const brotli = brotliCompressSync(code, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
}).length
const gzip = gzipSync(code, { level: 9 }).length

const byPackage = new Map()
for (const [path, { bytesInOutput }] of Object.entries(
  Object.values(result.metafile.outputs)[0].inputs,
)) {
  const match = path.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)
  const name = match
    ? match[1]
    : path.includes('packages/')
      ? `@licensekit/${path.split('packages/')[1].split('/')[0]}`
      : 'app'
  byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput)
}
for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${name.padEnd(24)} ${String(bytes).padStart(7)} B minified`)
}
console.log(`minified ${code.length} B, gzip ${gzip} B, brotli ${brotli} B`)
console.log(`budget ${budget.maxBrotliBytes} B brotli (target ${budget.targetBrotliBytes} B)`)
if (brotli > budget.maxBrotliBytes) {
  console.error(
    `bundle-size: FAILED — ${brotli} B brotli is over the budget of ${budget.maxBrotliBytes} B`,
  )
  process.exit(1)
}
console.log('bundle-size: within budget')
