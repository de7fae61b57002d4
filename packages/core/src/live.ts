/**
 * `@licensekit/core/live`: live license events, an opt-in of the browser client. Pass
 * `events: liveEvents()` to `createLicenseClient` (or `<LicenseProvider>`); an app that does not
 * import this entry ships none of it.
 */
export {
  type EventSourceConstructor,
  type EventSourceLike,
  type LiveEventsConfig,
  type LiveEventsFeature,
  liveEvents,
} from './client/live-events.js'
