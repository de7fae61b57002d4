// What an app ships per licensekit feature it imports: the budget's gating app
// (scripts/bundle-app.mjs), then the same app with one opt-in or key command added, each built
// by the same esbuild step in one run, with its brotli size and the difference to the gating app.
// Sizes are exact, so the machine's load does not matter.
// Run after `pnpm build`: pnpm bench:bundle-shapes
import { bundleApp, LICENSEKIT_GATING_APP } from '../scripts/bundle-app.mjs'

const resolveDir = new URL('../examples/vite-app/', import.meta.url).pathname
const JWK = '{ kty: "EC", crv: "P-256", x: "x", y: "y" }'

/** The gating app with `imports` added and `props` on its provider, `extra` rendered inside it. */
function gatingAppWith({ imports = '', props = '', extra = '' }) {
  return LICENSEKIT_GATING_APP.replace(
    "import { LicenseProvider, Licensed, useLicense } from '@licensekit/react'",
    `import { LicenseProvider, Licensed, useLicense } from '@licensekit/react'\n${imports}`,
  )
    .replace("{ endpoint: '/api/license' }", `{ endpoint: '/api/license', ${props} }`)
    .replace('createElement(Status),', `createElement(Status),${extra}`)
}

const keyForm = (hook) => `
function KeyForm() {
  const value = ${hook}
  return createElement('pre', null, String(Object.keys(value).length))
}`

const SHAPES = [
  ["the budget's gating app", {}],
  [
    '+ `events: liveEvents()`',
    {
      imports: "import { liveEvents } from '@licensekit/core/live'",
      props: 'events: liveEvents()',
    },
  ],
  [
    '+ `binding: deviceBinding()`',
    {
      imports: "import { deviceBinding } from '@licensekit/core/device'",
      props: 'binding: deviceBinding()',
    },
  ],
  [
    '+ `receipts: verifyReceipts(jwk)`',
    {
      imports: "import { verifyReceipts } from '@licensekit/core/receipts'",
      props: `receipts: verifyReceipts(${JWK})`,
    },
  ],
  [
    '+ `useLicenseToken()`',
    {
      imports: `import { useLicenseToken } from '@licensekit/react'${keyForm('useLicenseToken()')}`,
      extra: 'createElement(KeyForm),',
    },
  ],
  [
    '+ all four above (what the demo ships)',
    {
      imports: [
        "import { liveEvents } from '@licensekit/core/live'",
        "import { deviceBinding } from '@licensekit/core/device'",
        "import { verifyReceipts } from '@licensekit/core/receipts'",
        `import { useLicenseToken } from '@licensekit/react'${keyForm('useLicenseToken()')}`,
      ].join('\n'),
      props: `events: liveEvents(), binding: deviceBinding(), receipts: verifyReceipts(${JWK})`,
      extra: 'createElement(KeyForm),',
    },
  ],
  [
    '+ the key commands (`useLicenseActions()`)',
    {
      imports: `import { useLicenseActions } from '@licensekit/react'${keyForm('useLicenseActions()')}`,
      extra: 'createElement(KeyForm),',
    },
  ],
  [
    '+ `useLicenseKeyInput()`',
    {
      imports: `import { useLicenseKeyInput } from '@licensekit/react'${keyForm('useLicenseKeyInput()')}`,
      extra: 'createElement(KeyForm),',
    },
  ],
]

const rows = []
for (const [label, shape] of SHAPES) {
  const { minified, gzip, brotli } = await bundleApp({ contents: gatingAppWith(shape), resolveDir })
  rows.push({ label, minified, gzip, brotli })
}
const base = rows[0].brotli
const format = (bytes) => `${bytes.toLocaleString('en-US')} B`
console.log('| app | minified | gzip | brotli | brotli − gating app | ÷ gating app |')
console.log('|---|---|---|---|---|---|')
for (const { label, minified, gzip, brotli } of rows) {
  const delta = brotli - base
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±'
  console.log(
    `| ${label} | ${format(minified)} | ${format(gzip)} | ${format(brotli)} | ${sign}${format(Math.abs(delta))} | ${(brotli / base).toFixed(2)} |`,
  )
}
