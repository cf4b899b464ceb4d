-- Quick Scan Lokale Democratie. Answers (qs_response, qs_answer) carry no reference to an
-- invitation, person, address or time finer than a day, and use random ids in WITHOUT ROWID
-- tables so that neither ids nor storage order follow the order of submissions.
CREATE TABLE qs_org (
    org_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('gemeente', 'provincie'))
) WITHOUT ROWID;
CREATE TABLE qs_questionnaire (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE qs_scan (
    id INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES qs_org(org_id),
    title TEXT NOT NULL,
    wave TEXT NOT NULL CHECK (wave IN ('nulmeting', 'voortgangsmeting')),
    previous_scan_id INTEGER REFERENCES qs_scan(id),
    questionnaire_id INTEGER NOT NULL REFERENCES qs_questionnaire(id),
    status TEXT NOT NULL DEFAULT 'concept'
        CHECK (status IN ('concept', 'open', 'closed', 'report', 'verbeteragenda')),
    public_code TEXT NOT NULL UNIQUE,
    min_group INTEGER NOT NULL DEFAULT 5 CHECK (min_group >= 3),
    retention_days INTEGER NOT NULL DEFAULT 92 CHECK (retention_days >= 1),
    created_on TEXT NOT NULL,
    opened_on TEXT,
    closed_on TEXT,
    purged_on TEXT
);
CREATE INDEX qs_scan_org ON qs_scan(org_id);
CREATE TABLE qs_custom_item (
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
-- Personal data: name, email, token. Cleared by the retention job.
CREATE TABLE qs_invitation (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    grp TEXT NOT NULL CHECK (grp IN ('raad', 'college', 'ambtenaren')),
    name TEXT,
    email TEXT,
    token TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'started', 'finished')),
    mails_sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX qs_invitation_scan ON qs_invitation(scan_id, email);
CREATE TABLE qs_letter_code (
    code_hash TEXT PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    used INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- Unfinished answers, keyed by a hash of the respondent's secret. Deleted on submit.
CREATE TABLE qs_draft (
    key_hash TEXT PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    grp TEXT NOT NULL,
    answers TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE qs_response (
    id TEXT PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    grp TEXT NOT NULL CHECK (grp IN ('raad', 'college', 'ambtenaren', 'inwoners')),
    channel TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    submitted_on TEXT NOT NULL CHECK (length(submitted_on) = 10)
) WITHOUT ROWID;
CREATE INDEX qs_response_scan ON qs_response(scan_id, grp);
CREATE TABLE qs_answer (
    response_id TEXT NOT NULL REFERENCES qs_response(id),
    item_key TEXT NOT NULL,
    num INTEGER,
    txt TEXT,
    PRIMARY KEY (response_id, item_key)
) WITHOUT ROWID;
-- Aggregate counters for monitoring: how many started per day and group.
CREATE TABLE qs_daily (
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    day TEXT NOT NULL,
    grp TEXT NOT NULL,
    started INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scan_id, day, grp)
) WITHOUT ROWID;
CREATE TABLE qs_outbox (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE qs_audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    org_id TEXT,
    scan_id INTEGER,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX qs_audit_org ON qs_audit(org_id, id);
CREATE TABLE qs_agenda (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES qs_scan(id),
    priority INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL,
    deadline TEXT,
    status TEXT NOT NULL CHECK (status IN ('gepland', 'bezig', 'klaar', 'gestopt'))
);
CREATE TABLE qs_agenda_note (
    id INTEGER PRIMARY KEY,
    agenda_id INTEGER NOT NULL REFERENCES qs_agenda(id),
    author TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('voortgang', 'commentaar')),
    note TEXT NOT NULL
)
