-- Users, their export configuration, and the records the export reads.

CREATE TABLE users (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per user at most; a user without a row exports with the default configuration.
CREATE TABLE user_configs (
  user_id text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  columns text[] NOT NULL CHECK (cardinality(columns) BETWEEN 1 AND 7),
  time_zone text NOT NULL DEFAULT 'UTC',
  decimals smallint NOT NULL DEFAULT 2 CHECK (decimals BETWEEN 0 AND 6),
  decimal_separator char(1) NOT NULL DEFAULT '.' CHECK (decimal_separator IN ('.', ',')),
  retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 1 AND 3650),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_records (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  recorded_at timestamptz NOT NULL,
  event_type text NOT NULL,
  amount numeric(14, 4),
  currency char(3),
  status text NOT NULL,
  note text
);

-- Serves the export's keyset pagination: newest first within one user.
CREATE INDEX user_records_user_recent_idx ON user_records (user_id, recorded_at DESC, id DESC);
