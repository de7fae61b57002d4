export { isLicenseErrorCode, LICENSE_ERROR_CODES, type LicenseErrorCode } from '../errors/codes.js'
export { isLicenseError, LicenseError } from '../errors/license-error.js'
export { canonicalMessage, type SignablePayload, signPayload, verifySignature } from './signing.js'
