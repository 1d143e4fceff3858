-- Up Migration
-- A ticket that was checked in and is then voided (its event cancelled and refunded) keeps
-- the time it was used: history, not a contradiction. Only a checked-in ticket must have one.
ALTER TABLE tickets DROP CONSTRAINT tickets_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_checked_in_has_time CHECK (status <> 'checked_in' OR checked_in_at IS NOT NULL);
ALTER TABLE tickets ADD CONSTRAINT tickets_valid_not_used CHECK (status <> 'valid' OR checked_in_at IS NULL);

-- Down Migration
ALTER TABLE tickets DROP CONSTRAINT tickets_valid_not_used;
ALTER TABLE tickets DROP CONSTRAINT tickets_checked_in_has_time;
ALTER TABLE tickets ADD CONSTRAINT tickets_check CHECK ((status = 'checked_in') = (checked_in_at IS NOT NULL));
