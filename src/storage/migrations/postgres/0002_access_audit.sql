-- 0002 access and audit: organizations, users and their role bindings, sessions, API tokens,
-- login throttling, and the hash-chained audit log.

-- 组织 — organizations of the five subjects.
CREATE TABLE organizations (
  id          BIGSERIAL PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length(name) > 0),
  type        TEXT NOT NULL,
  region_code TEXT COLLATE "C" NOT NULL REFERENCES regions (code),
  credit_code TEXT,                      -- 统一社会信用代码, NULL when it has none
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL
);
CREATE INDEX organizations_region ON organizations (region_code);
CREATE UNIQUE INDEX organizations_credit_code ON organizations (credit_code);

CREATE TABLE users (
  id             BIGSERIAL PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  display_name   TEXT NOT NULL,
  password_hash  TEXT NOT NULL,          -- Argon2id, libsodium string format
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  view_sensitive INTEGER NOT NULL DEFAULT 0 CHECK (view_sensitive IN (0, 1)),
  version        BIGINT NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL
);

CREATE TABLE user_roles (
  user_id         BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  role            TEXT NOT NULL,
  region_code     TEXT COLLATE "C" NOT NULL REFERENCES regions (code),
  organization_id BIGINT REFERENCES organizations (id),
  PRIMARY KEY (user_id, position)
);

-- Only hashes of session and API tokens are stored. Times are Unix seconds.
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id         BIGSERIAL PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
  address TEXT NOT NULL,
  name    TEXT NOT NULL,
  at      BIGINT NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- 审计日志 — append-only; each entry's hash covers its content and the previous hash.
CREATE TABLE audit_log (
  seq           BIGINT PRIMARY KEY,
  at            TEXT NOT NULL,
  actor         TEXT NOT NULL,
  actor_user_id BIGINT NOT NULL,
  address       TEXT NOT NULL,
  action        TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  region_code   TEXT COLLATE "C" NOT NULL,
  note          TEXT NOT NULL,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_region ON audit_log (region_code, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);

CREATE TABLE audit_changes (
  seq      BIGINT NOT NULL REFERENCES audit_log (seq),
  position INTEGER NOT NULL,
  field    TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  PRIMARY KEY (seq, position)
);
