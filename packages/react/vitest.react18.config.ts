import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'
import { workspaceAlias } from '../../vitest.shared.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const react18 = here('./node_modules/react-18/')
const reactDom18 = here('./node_modules/react-dom-18/')
/** Testing Library's ES module build: its imports of react and react-dom go through the aliases. */
const testingLibrary = here(
  './node_modules/@testing-library/react/dist/@testing-library/react.esm.js',
)

/** The same tests against React 18, through the `react-18` and `react-dom-18` npm aliases. */
export default defineProject({
  resolve: {
    alias: [
      ...workspaceAlias,
      { find: /^react$/, replacement: `${react18}index.js` },
      { find: /^react\/jsx-runtime$/, replacement: `${react18}jsx-runtime.js` },
      { find: /^react\/jsx-dev-runtime$/, replacement: `${react18}jsx-dev-runtime.js` },
      { find: /^react-dom$/, replacement: `${reactDom18}index.js` },
      { find: /^react-dom\/client$/, replacement: `${reactDom18}client.js` },
      { find: /^react-dom\/server$/, replacement: `${reactDom18}server.node.js` },
      { find: /^react-dom\/test-utils$/, replacement: `${reactDom18}test-utils.js` },
      { find: /^@testing-library\/react$/, replacement: testingLibrary },
    ],
  },
  test: {
    name: 'react@18',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // A type check of the sources against @types/react: it does not run React, so once is enough.
    exclude: ['src/entitlements-augmentation.test.ts'],
    environment: 'happy-dom',
    setupFiles: ['./src/test-support/react18-setup.ts', './src/test-support/setup.ts'],
    env: { LICENSEKIT_EXPECTED_REACT: '18' },
    // Run Testing Library through Vite (not Node) so the aliases above apply to its imports.
    server: { deps: { inline: [/@testing-library\/react/] } },
  },
})
