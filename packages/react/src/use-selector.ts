'use client'
import type { GatingClient, LicenseState } from '@licensekit/core'
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react'

/** A selection, with the state it was made from when this selector made it. */
interface Selected<Selection> {
  state?: LicenseState
  value: Selection
}

/**
 * The selected part of the client's state, for components that have the client already:
 * `useSyncExternalStore` with a selector, after React's own
 * `use-sync-external-store/with-selector`. The component re-renders only when the selected
 * value changes by `isEqual` (default `Object.is`), and a selection that compares equal
 * keeps its previous identity, so selecting an object or array is safe.
 */
export function useClientSelector<Selection>(
  client: GatingClient,
  selector: (state: LicenseState) => Selection,
  isEqual: (a: Selection, b: Selection) => boolean = Object.is,
): Selection {
  /** The selection last committed to the screen, shared by every render of this component. */
  const committed = useRef<{ value: Selection } | null>(null)

  const [getSelection, getServerSelection] = useMemo(() => {
    // The last selection and the state it was made from; at first the committed one, made by
    // an earlier selector, so only its value counts.
    let last: Selected<Selection> | null = committed.current
    const select = (state: LicenseState): Selection => {
      if (last?.state === state) return last.value
      const next = selector(state)
      const value = last !== null && isEqual(last.value, next) ? last.value : next
      last = { state, value }
      return value
    }
    return [() => select(client.getSnapshot()), () => select(client.getServerSnapshot())] as const
  }, [client, selector, isEqual])

  const value = useSyncExternalStore(client.subscribe, getSelection, getServerSelection)
  useEffect(() => {
    committed.current = { value }
  }, [value])
  return value
}
