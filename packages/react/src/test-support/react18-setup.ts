import { realpathSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname } from 'node:path'

/**
 * pnpm installed the `react-dom-18` alias with React 19 as its peer, so its own
 * `require('react')` (plain Node CommonJS, which Vite's aliases never see) would load
 * React 19. Point `react` and `react/*` required from inside react-dom 18 at React 18.
 */
const require = createRequire(import.meta.url)
const react18 = dirname(require.resolve('react-18/package.json'))
const reactDom18 = `${realpathSync(dirname(require.resolve('react-dom-18/package.json')))}/`

type ResolveFilename = (
  request: string,
  parent: { filename?: string } | undefined,
  ...rest: unknown[]
) => string
const loader = Module as unknown as { _resolveFilename: ResolveFilename }
const resolveFilename = loader._resolveFilename

loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
  const fromReactDom18 = parent?.filename?.startsWith(reactDom18) === true
  const target =
    fromReactDom18 && (request === 'react' || request.startsWith('react/'))
      ? react18 + request.slice('react'.length)
      : request
  return resolveFilename.call(this, target, parent, ...rest)
}
