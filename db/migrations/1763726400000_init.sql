-- Up Migration
-- Initial schema: accounts, venues with section layouts, events, per-event seat inventory,
-- holds, orders, payments, tickets. Constraints make invalid states unrepresentable;
-- PostgreSQL is the source of truth for who owns which seat.

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  password_hash text NOT NULL,
  role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE venues (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  city       text NOT NULL CHECK (length(city) BETWEEN 1 AND 80),
  address    text,
  country    text,
  timezone   text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX venues_city_idx ON venues (lower(city));

-- The venue's layout template. Events copy it (event_sections, event_seats) so a
-- later layout edit never moves a seat someone already bought.
CREATE TABLE venue_sections (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id    uuid NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  position    int  NOT NULL CHECK (position >= 0),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  price_tier  int  NOT NULL CHECK (price_tier BETWEEN 1 AND 20),
  price_cents int  NOT NULL CHECK (price_cents >= 0),
  UNIQUE (venue_id, name),
  UNIQUE (venue_id, position)
);

CREATE TABLE venue_seats (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  section_id  uuid NOT NULL REFERENCES venue_sections (id) ON DELETE CASCADE,
  position    int  NOT NULL CHECK (position >= 0),
  row_label   text NOT NULL CHECK (length(row_label) BETWEEN 1 AND 10),
  number      text NOT NULL CHECK (length(number) BETWEEN 1 AND 10),
  x           real NOT NULL,
  y           real NOT NULL,
  accessible  boolean NOT NULL DEFAULT false,
  UNIQUE (section_id, row_label, number)
);
CREATE INDEX venue_seats_section_idx ON venue_seats (section_id, position);

CREATE TABLE events (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id                  uuid NOT NULL REFERENCES venues (id),
  name                      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  category                  text NOT NULL CHECK (category IN ('concert', 'sports', 'theatre', 'comedy', 'family', 'festival', 'conference')),
  performer                 text,
  description               text,
  starts_at                 timestamptz NOT NULL,
  on_sale_at                timestamptz NOT NULL,
  currency                  text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  high_demand               boolean NOT NULL DEFAULT false,
  max_tickets_per_user      int NOT NULL DEFAULT 8 CHECK (max_tickets_per_user BETWEEN 1 AND 50),
  admission_rate_per_minute int NOT NULL DEFAULT 120 CHECK (admission_rate_per_minute > 0),
  max_concurrent_shoppers   int NOT NULL DEFAULT 200 CHECK (max_concurrent_shoppers > 0),
  cancelled_at              timestamptz,
  -- Bumped whenever the seat layout of the event changes (seatmap ETag).
  layout_version            int NOT NULL DEFAULT 1,
  -- Denormalised search document over name, performer, venue name and city; kept
  -- current by triggers on events and venues.
  search                    tsvector NOT NULL DEFAULT ''::tsvector,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  CHECK (on_sale_at <= starts_at)
);
CREATE INDEX events_search_idx ON events USING gin (search);
CREATE INDEX events_starts_at_idx ON events (starts_at);
CREATE INDEX events_venue_idx ON events (venue_id, starts_at);
CREATE INDEX events_category_idx ON events (category, starts_at);

CREATE FUNCTION events_search_document(e events) RETURNS tsvector
LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(e.name, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(e.performer, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(v.name, '')), 'B')
      || setweight(to_tsvector('simple', coalesce(v.city, '')), 'B')
      || setweight(to_tsvector('english', coalesce(e.description, '')), 'D')
  FROM venues v WHERE v.id = e.venue_id
$$;

CREATE FUNCTION events_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search := coalesce(events_search_document(NEW), ''::tsvector);
  RETURN NEW;
END $$;

CREATE TRIGGER events_search_update
  BEFORE INSERT OR UPDATE OF name, performer, description, venue_id ON events
  FOR EACH ROW EXECUTE FUNCTION events_search_trigger();

CREATE FUNCTION venues_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events e SET search = coalesce(events_search_document(e), ''::tsvector) WHERE e.venue_id = NEW.id;
  RETURN NEW;
END $$;

CREATE TRIGGER venues_search_update
  AFTER UPDATE OF name, city ON venues
  FOR EACH ROW EXECUTE FUNCTION venues_search_trigger();

-- Per-event copy of the venue sections, with the event's own prices.
CREATE TABLE event_sections (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position    int  NOT NULL CHECK (position >= 0),
  name        text NOT NULL,
  price_tier  int  NOT NULL CHECK (price_tier BETWEEN 1 AND 20),
  price_cents int  NOT NULL CHECK (price_cents >= 0),
  UNIQUE (event_id, name),
  UNIQUE (event_id, position)
);

-- A checkout attempt. The (user, idempotency key) pair is unique: the same key
-- can never create a second order or a second charge.
CREATE TABLE orders (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id          uuid NOT NULL REFERENCES users (id),
  event_id         uuid NOT NULL REFERENCES events (id),
  hold_id          uuid,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 8 AND 200),
  request_hash     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'cancelled', 'refunded')),
  total_cents      int  NOT NULL CHECK (total_cents >= 0),
  currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  payment_id       text,
  failure_code     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key),
  -- A completed or refunded order always has a payment behind it.
  CHECK (status NOT IN ('completed', 'refunded', 'cancelled') OR payment_id IS NOT NULL)
);
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_event_idx ON orders (event_id, status);

-- An active hold: one per user per event at most.
CREATE TABLE holds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id),
  session_id  text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'expired', 'converted', 'replaced')),
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  CHECK ((status = 'active') = (ended_at IS NULL))
);
CREATE UNIQUE INDEX holds_one_active_per_user_event ON holds (event_id, user_id) WHERE status = 'active';
CREATE INDEX holds_expiry_idx ON holds (expires_at) WHERE status = 'active';
CREATE INDEX holds_user_idx ON holds (user_id) WHERE status = 'active';

-- The inventory: one row per seat per event. `seat_index` addresses the compact
-- availability string. A held seat has a hold, a holder and an expiry; a sold
-- seat has an order; an available seat has none of these.
CREATE TABLE event_seats (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  section_id     uuid NOT NULL REFERENCES event_sections (id) ON DELETE CASCADE,
  seat_index     int  NOT NULL CHECK (seat_index >= 0),
  row_label      text NOT NULL,
  row_position   int  NOT NULL DEFAULT 0,
  number         text NOT NULL,
  seat_position  int  NOT NULL DEFAULT 0,
  x              real NOT NULL,
  y              real NOT NULL,
  accessible     boolean NOT NULL DEFAULT false,
  status         text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'held', 'sold')),
  hold_id        uuid REFERENCES holds (id),
  holder_user_id uuid REFERENCES users (id),
  held_until     timestamptz,
  order_id       uuid REFERENCES orders (id),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, seat_index),
  UNIQUE (event_id, section_id, row_label, number),
  CHECK (
    (status = 'available' AND hold_id IS NULL AND holder_user_id IS NULL AND held_until IS NULL AND order_id IS NULL)
    OR (status = 'held' AND hold_id IS NOT NULL AND holder_user_id IS NOT NULL AND held_until IS NOT NULL AND order_id IS NULL)
    OR (status = 'sold' AND order_id IS NOT NULL AND hold_id IS NULL AND held_until IS NULL)
  )
);
CREATE INDEX event_seats_status_idx ON event_seats (event_id, status);
CREATE INDEX event_seats_expiry_idx ON event_seats (held_until) WHERE status = 'held';
CREATE INDEX event_seats_hold_idx ON event_seats (hold_id) WHERE hold_id IS NOT NULL;
CREATE INDEX event_seats_order_idx ON event_seats (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX event_seats_section_idx ON event_seats (section_id, row_position, seat_position);

-- A charge at the payment provider. One per order; a refund is recorded here too.
CREATE TABLE payments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id      uuid NOT NULL UNIQUE REFERENCES orders (id),
  provider      text NOT NULL,
  provider_ref  text,
  amount_cents  int  NOT NULL CHECK (amount_cents >= 0),
  currency      text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'failed', 'refunded')),
  card_last4    text CHECK (card_last4 ~ '^\d{4}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tickets (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id       uuid NOT NULL REFERENCES orders (id),
  event_id       uuid NOT NULL REFERENCES events (id),
  seat_id        uuid NOT NULL REFERENCES event_seats (id),
  code           text NOT NULL UNIQUE,
  status         text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void', 'checked_in')),
  checked_in_at  timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'checked_in') = (checked_in_at IS NOT NULL))
);
-- A seat has at most one live ticket: a last line of defence against a double sale.
CREATE UNIQUE INDEX tickets_one_live_per_seat ON tickets (seat_id) WHERE status <> 'void';
CREATE INDEX tickets_order_idx ON tickets (order_id);

-- Down Migration
DROP TABLE IF EXISTS tickets, payments, event_seats, holds, orders, event_sections, events, venue_seats, venue_sections, venues, users CASCADE;
DROP FUNCTION IF EXISTS events_search_trigger, venues_search_trigger, events_search_document;
