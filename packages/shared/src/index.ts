export * from './schemas/common.js';
export * from './schemas/auth.js';
export * from './schemas/venues.js';
export * from './schemas/events.js';
export * from './schemas/inventory.js';
export * from './schemas/orders.js';
export * from './schemas/queue.js';
export * from './schemas/admin.js';
