export {
  createRedisEventBus,
  type RedisEventBus,
  type RedisEventBusOptions,
} from './event-bus.js'
export {
  createRedisRateLimitStore,
  type RedisRateLimitStoreOptions,
} from './rate-limit-store.js'
export type {
  RedisPublisherClient,
  RedisScriptClient,
  RedisScriptOptions,
  RedisSubscriberClient,
} from './redis-client.js'
