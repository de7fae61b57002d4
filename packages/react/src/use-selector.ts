'use client'
import type { GatingClient, LicenseState } from '@licensekit/core'
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react'

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
    let memo: { state: LicenseState; selection: Selection } | null = null
    const select = (state: LicenseState): Selection => {
      if (memo !== null && Object.is(memo.state, state)) return memo.selection
      const next = selector(state)
      const previous = memo === null ? committed.current : { value: memo.selection }
      const selection = previous !== null && isEqual(previous.value, next) ? previous.value : next
      memo = { state, selection }
      return selection
    }
    return [() => select(client.getSnapshot()), () => select(client.getServerSnapshot())] as const
  }, [client, selector, isEqual])

  const value = useSyncExternalStore(client.subscribe, getSelection, getServerSelection)
  useEffect(() => {
    committed.current = { value }
  }, [value])
  return value
}
