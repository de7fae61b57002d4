import { fileURLToPath } from 'node:url'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Workspace packages resolve to their sources in tests, so no build is needed to iterate. */
export const workspaceAlias = [
  { find: /^@licensekit\/core\/server$/, replacement: here('./packages/core/src/server/index.ts') },
  { find: /^@licensekit\/core\/vite$/, replacement: here('./packages/core/src/vite/index.ts') },
  { find: /^@licensekit\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@licensekit\/react$/, replacement: here('./packages/react/src/index.ts') },
  {
    find: /^@licensekit\/license-server$/,
    replacement: here('./packages/license-server/src/index.ts'),
  },
]
