/**
 * `@licensekit/core/receipts`: license-token receipts for the grace cache, an opt-in of the
 * browser client. Pass `receipts: verifyReceipts(publicJwk)` to `createLicenseClient` (or
 * `<LicenseProvider>`); an app that does not import this entry ships none of the verification.
 */
export type { ReceiptCheck, ReceiptContext } from './client/cache-trust.js'
export { verifyReceipts } from './client/receipt-check.js'
