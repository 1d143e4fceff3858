-- Up Migration
-- The hold statement counts the seats a user already bought for the event (the per-user ticket
-- limit). It runs with a cached generic plan (holds pool, plan_cache_mode = force_generic_plan),
-- so it must find the user's orders of the event by an index on both, whatever the statistics
-- say: with only (event_id, status) a big event's hold would read every order of the event.
CREATE INDEX orders_user_event_idx ON orders (user_id, event_id);
-- No query looks seats up by held_until (expiry goes through holds.expires_at), but every seat
-- status change paid for maintaining this index.
DROP INDEX event_seats_expiry_idx;

-- Down Migration
CREATE INDEX event_seats_expiry_idx ON event_seats (held_until) WHERE status = 'held';
DROP INDEX orders_user_event_idx;
