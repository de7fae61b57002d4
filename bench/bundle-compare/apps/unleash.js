// Unleash React: FlagProvider + useFlag + a gate component, against an Unleash proxy/Edge URL.
import { FlagProvider, useFlag, useFlagsStatus } from '@unleash/proxy-client-react'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'

function Status() {
  const { flagsReady } = useFlagsStatus()
  return createElement('p', null, flagsReady ? 'ready' : 'loading')
}

function Gate({ children, fallback }) {
  return useFlag('premium') ? children : fallback
}

createRoot(document.getElementById('root')).render(
  createElement(
    FlagProvider,
    { config: { url: '/api/proxy', clientKey: 'client-key', appName: 'bench' } },
    createElement(Status),
    createElement(Gate, { fallback: 'Upgrade' }, 'Premium'),
  ),
)
