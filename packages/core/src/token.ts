/**
 * `@licensekit/core/token`: the license token for the app's own routes, an opt-in of the browser
 * client. `tokenAccess(client)` gives `getToken()` and `fetch()` (with
 * `Authorization: License <token>`); an app that does not import this entry ships none of it.
 */
export {
  type LicenseTokenAccess,
  type TokenAccessOptions,
  tokenAccess,
  withLicenseHeader,
} from './client/token-access.js'
