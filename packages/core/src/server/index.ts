export { isLicenseErrorCode, LICENSE_ERROR_CODES, type LicenseErrorCode } from '../errors/codes.js'
export { isLicenseError, LicenseError } from '../errors/license-error.js'
export type {
  LicenseAction,
  LicenseInfo,
  ProxyFailure,
  ProxyResponse,
  ProxySuccess,
} from '../protocol.js'
export type { ReceiptClaims } from '../receipts/claims.js'
export { createReceipt, generateReceiptKeys } from '../receipts/create-receipt.js'
export { canonicalMessage, type SignablePayload, signPayload, verifySignature } from './signing.js'
