// Side-by-side bundle sizes of the same minimal gating app (a provider, a hook reading the
// state, a gate component) built with licensekit and with other feature-gating React SDKs.
// Every app goes through the same build as the bundle budget (scripts/bundle-app.mjs: esbuild,
// minified ESM for the browser, React and react-dom external), then gzip -9 and brotli -11.
// Run after `pnpm build` (licensekit is measured from the packages' dist/): pnpm bench:bundle
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { bundleApp, LICENSEKIT_GATING_APP } from '../../scripts/bundle-app.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
const app = (name) => readFileSync(new URL(`apps/${name}.js`, import.meta.url), 'utf8')

const contenders = [
  {
    name: 'licensekit',
    packages: ['@licensekit/react', '@licensekit/core'],
    contents: LICENSEKIT_GATING_APP,
  },
  {
    name: 'Unleash React',
    packages: ['@unleash/proxy-client-react', 'unleash-proxy-client'],
    contents: app('unleash'),
  },
  {
    name: 'OpenFeature React',
    packages: ['@openfeature/react-sdk', '@openfeature/web-sdk'],
    contents: app('openfeature'),
  },
  { name: 'Flagsmith', packages: ['flagsmith'], contents: app('flagsmith') },
]

const installed = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url), 'utf8'))
    .version

const rows = []
for (const contender of contenders) {
  const { minified, gzip, brotli } = await bundleApp({
    contents: contender.contents,
    resolveDir: here,
  })
  const versions = contender.packages.map((name) => `${name}@${installed(name)}`).join(' + ')
  rows.push({ ...contender, versions, minified, gzip, brotli })
}

const [ours] = rows
const bytes = (value) => `${value.toLocaleString('en-US')} B`
const ratios = (row) =>
  ['minified', 'gzip', 'brotli'].map((size) => (ours[size] / row[size]).toFixed(2)).join(' / ')
console.log(
  '| app | packages | minified | gzip | brotli | licensekit ÷ this (min / gzip / brotli) |',
)
console.log('|---|---|---|---|---|---|')
for (const row of rows) {
  const cells = [row.name, row.versions, bytes(row.minified), bytes(row.gzip), bytes(row.brotli)]
  console.log(`| ${[...cells, row === ours ? '—' : ratios(row)].join(' | ')} |`)
}
console.log('\nReact and react-dom are external in every build.')
