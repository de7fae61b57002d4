/**
 * The browser ↔ proxy wire format (docs/architecture.md, "Wire formats"). Shared by the
 * proxy (`@licensekit/core/server`) and the browser client, so both sides type-check
 * against one definition.
 */
import type { EntitlementMap } from './entitlements/entitlements.js'
import type { LicenseErrorCode } from './errors/codes.js'

export type LicenseAction = 'validate' | 'activate' | 'deactivate'

export const LICENSE_ACTIONS: readonly LicenseAction[] = ['validate', 'activate', 'deactivate']

/** What the proxy tells the browser about a license. The key is always masked. */
export interface LicenseInfo {
  key: string
  status: string
  expiresAt: string | null
  activationsCount?: number
  activationsLimit?: number
  /** Decided by the proxy (its `entitlements` option); this proxy always sends it, `{}` when none. */
  entitlements?: EntitlementMap
}

/** `200` answer. `license: null` means no license (installation mode, or after deactivation). */
export interface ProxySuccess {
  ok: true
  license: LicenseInfo | null
  /** ISO-8601 server time of this answer. */
  checkedAt: string
  /** The license token (a compact JWS, see `verifyLicenseToken`), when the proxy has signing keys. */
  token?: string
}

export interface ProxyFailure {
  ok: false
  error: { code: LicenseErrorCode; message: string }
}

export type ProxyResponse = ProxySuccess | ProxyFailure

/**
 * Request body: `{key}` for device mode and installation-mode activate, `{}` otherwise; under
 * `binding: 'device'` every body with a key also carries the browser's `device` id.
 */
export interface ProxyRequestBody {
  key?: string
  device?: string
}
