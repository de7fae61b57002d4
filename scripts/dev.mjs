console.error(
  'pnpm dev: the demo app (examples/vite-app) is not built yet. It needs the license server, the proxy, the client and the React bindings; see the open issues.',
)
process.exit(1)
