import { type Browser, type BrowserContext, chromium } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

declare global {
  interface Window {
    /** Installed by {@link addVisibilityControl}: pretends the tab is hidden or visible. */
    __setVisibility?: (state: DocumentVisibilityState) => void
  }
}

/**
 * Lets a test hide a tab: headless tabs are always `visible`, so `document.visibilityState`
 * and `document.hidden` are overridden and `visibilitychange` is dispatched on change.
 */
export async function addVisibilityControl(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    let state: DocumentVisibilityState = 'visible'
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
    Object.defineProperty(document, 'hidden', {
      configurable: true,
      get: () => state === 'hidden',
    })
    window.__setVisibility = (next) => {
      if (next === state) return
      state = next
      document.dispatchEvent(new Event('visibilitychange'))
    }
  })
}
