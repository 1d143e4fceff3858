export { fetchEvents, fetchEvent } from './api/events-api';
export { EventSearchParams, toListQuery, PAGE_SIZE } from './search-params';
export { availabilityLevel, type AvailabilityLevel } from './availability-level';
export { EventCard } from './components/event-card';
export { SearchFilters } from './components/search-filters';
export { Pagination } from './components/pagination';
export { AvailabilityBadge } from './components/availability-badge';
