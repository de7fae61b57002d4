// OpenFeature React: OpenFeatureProvider + useBooleanFlagValue + a gate component, with the
// SDK's in-memory provider (no vendor provider, so this is the SDK's own weight).

import {
  OpenFeatureProvider,
  useBooleanFlagValue,
  useOpenFeatureClientStatus,
} from '@openfeature/react-sdk'
import { InMemoryProvider, OpenFeature } from '@openfeature/web-sdk'
import { createElement } from 'react'
import { createRoot } from 'react-dom/client'

OpenFeature.setProvider(
  new InMemoryProvider({
    premium: { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false },
  }),
)

function Status() {
  return createElement('p', null, useOpenFeatureClientStatus())
}

function Gate({ children, fallback }) {
  return useBooleanFlagValue('premium', false) ? children : fallback
}

createRoot(document.getElementById('root')).render(
  createElement(
    OpenFeatureProvider,
    null,
    createElement(Status),
    createElement(Gate, { fallback: 'Upgrade' }, 'Premium'),
  ),
)
