-- Migration 0006 (issue 12): a scan's plan — opening and closing date, up to three reminder
-- days, the contact named in mails — the mail texts per group, and what the scheduler did.
-- Records are per scan (never per answer). qs_plan_claim is per invitation but transient: a
-- row exists only while a mail round is being sent and is deleted when the round is done.
CREATE TABLE qs_plan (
    scan_id INTEGER PRIMARY KEY REFERENCES qs_scan(id),
    opens_on TEXT CHECK (opens_on IS NULL OR length(opens_on) = 10),
    closes_on TEXT CHECK (closes_on IS NULL OR length(closes_on) = 10),
    remind1_on TEXT,
    remind2_on TEXT,
    remind3_on TEXT,
    contact TEXT NOT NULL DEFAULT ''
);
CREATE TABLE qs_plan_event (
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    kind TEXT NOT NULL CHECK (kind IN ('open', 'invitation', 'reminder', 'close')),
    day TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('busy', 'done', 'waiting', 'skipped')),
    sent INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    unknown INTEGER NOT NULL DEFAULT 0,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (scan_id, kind, day)
) WITHOUT ROWID;
-- No foreign key to qs_invitation on purpose: with one, SQLite writes the batched "finished"
-- marks of qs_invitation differently, and tests/storage.rs's WAL frame-order linker then links
-- answers to invitations far better than chance (7 and 12 hits of 20 against 0).
CREATE TABLE qs_plan_claim (
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    day TEXT NOT NULL,
    invitation_id INTEGER NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'claimed'
        CHECK (outcome IN ('claimed', 'sent', 'failed', 'skipped')),
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (scan_id, kind, day, invitation_id)
) WITHOUT ROWID;
CREATE TABLE qs_mail_text (
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    grp TEXT NOT NULL CHECK (grp IN ('raad', 'college', 'ambtenaren')),
    kind TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (scan_id, grp, kind)
) WITHOUT ROWID;
