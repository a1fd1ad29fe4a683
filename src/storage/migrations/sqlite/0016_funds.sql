-- 0016 funds (资金监管): fund batches (资金批次) issued to a region, their allocations to
-- projects split by purpose, payments from the allocations, and where public notices (公告公示)
-- were posted. Money in integer fen. The running totals (a batch's allocated_fen, an
-- allocation's paid_fen) are updated by conditional statements inside the writing transaction,
-- so that the limits hold under concurrent writes; the CHECKs hold them in the schema as well.
-- Payments are never edited nor deleted: a wrong one is voided with a reason.
CREATE TABLE fund_batches (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,
  document_number TEXT NOT NULL,
  title           TEXT NOT NULL DEFAULT '',
  year            INTEGER NOT NULL,
  level           TEXT NOT NULL,
  region_code     TEXT NOT NULL REFERENCES regions (code),
  issued_on       TEXT NOT NULL,
  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
  allocated_fen   INTEGER NOT NULL DEFAULT 0 CHECK (allocated_fen >= 0 AND allocated_fen <= amount_fen),
  note            TEXT NOT NULL DEFAULT '',
  version         INTEGER NOT NULL DEFAULT 1,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX fund_batches_region ON fund_batches (region_code, year);
CREATE UNIQUE INDEX fund_batches_document ON fund_batches (region_code, document_number);

CREATE TABLE fund_allocations (
  id           INTEGER PRIMARY KEY,
  batch_id     INTEGER NOT NULL REFERENCES fund_batches (id),
  project_id   INTEGER NOT NULL REFERENCES projects (id),
  allocated_on TEXT NOT NULL,
  amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
  paid_fen     INTEGER NOT NULL DEFAULT 0 CHECK (paid_fen >= 0 AND paid_fen <= amount_fen),
  note         TEXT NOT NULL DEFAULT '',
  version      INTEGER NOT NULL DEFAULT 1,
  created_by   TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
CREATE INDEX fund_allocations_batch ON fund_allocations (batch_id);
CREATE INDEX fund_allocations_project ON fund_allocations (project_id);

-- An allocation's split by purpose (the shares add up to its amount).
CREATE TABLE fund_allocation_purposes (
  allocation_id INTEGER NOT NULL REFERENCES fund_allocations (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  purpose       TEXT NOT NULL,
  amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (allocation_id, position)
);

CREATE TABLE fund_payments (
  id             INTEGER PRIMARY KEY,
  allocation_id  INTEGER NOT NULL REFERENCES fund_allocations (id),
  paid_on        TEXT NOT NULL,
  payee          TEXT NOT NULL,
  amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
  purpose        TEXT NOT NULL,
  voucher_number TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  voided         INTEGER NOT NULL DEFAULT 0,
  void_reason    TEXT NOT NULL DEFAULT '',
  recorded_by    TEXT NOT NULL,
  recorded_at    TEXT NOT NULL
);
CREATE INDEX fund_payments_allocation ON fund_payments (allocation_id, paid_on);

-- Where and when a notice was posted (公示), for a project or a fund batch.
CREATE TABLE notice_postings (
  id          INTEGER PRIMARY KEY,
  subject     TEXT NOT NULL CHECK (subject IN ('project', 'batch')),
  subject_id  INTEGER NOT NULL,
  region_code TEXT NOT NULL,
  posted_on   TEXT NOT NULL,
  until_on    TEXT NOT NULL DEFAULT '',
  place       TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX notice_postings_subject ON notice_postings (subject, subject_id);
