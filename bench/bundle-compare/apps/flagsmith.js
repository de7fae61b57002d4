// Flagsmith: FlagsmithProvider (flagsmith/react) + useFlags + a gate component.
import flagsmith from 'flagsmith'
import { FlagsmithProvider, useFlags, useFlagsmithLoading } from 'flagsmith/react'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'

function Status() {
  const loading = useFlagsmithLoading()
  return createElement('p', null, loading?.isLoading ? 'loading' : 'ready')
}

function Gate({ children, fallback }) {
  return useFlags(['premium']).premium.enabled ? children : fallback
}

createRoot(document.getElementById('root')).render(
  createElement(
    FlagsmithProvider,
    { flagsmith, options: { environmentID: 'environment-id' } },
    createElement(Status),
    createElement(Gate, { fallback: 'Upgrade' }, 'Premium'),
  ),
)
