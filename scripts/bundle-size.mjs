// Bundle budget: builds a minimal app that imports LicenseProvider, useLicense and Licensed
// and reports the min+brotli size of everything it ships except React (core client, react
// binding, idb-keyval). Fails when the size is above bundle-budget.json.
// Run after `pnpm build`: node scripts/bundle-size.mjs
import { readFileSync } from 'node:fs'
import { bundleApp, LICENSEKIT_GATING_APP } from './bundle-app.mjs'

const root = new URL('..', import.meta.url)
const budget = JSON.parse(readFileSync(new URL('bundle-budget.json', root), 'utf8'))
const { minified, gzip, brotli, metafile } = await bundleApp({
  contents: LICENSEKIT_GATING_APP,
  resolveDir: new URL('examples/vite-app/', root).pathname,
})

const byPackage = new Map()
for (const [path, { bytesInOutput }] of Object.entries(Object.values(metafile.outputs)[0].inputs)) {
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
console.log(`minified ${minified} B, gzip ${gzip} B, brotli ${brotli} B`)
console.log(`budget ${budget.maxBrotliBytes} B brotli (target ${budget.targetBrotliBytes} B)`)
if (brotli > budget.maxBrotliBytes) {
  console.error(
    `bundle-size: FAILED — ${brotli} B brotli is over the budget of ${budget.maxBrotliBytes} B`,
  )
  process.exit(1)
}
console.log('bundle-size: within budget')
