-- Review of open answers and "vaststellen" (issue 12), one row per scan.
-- hidden / redacted: how many open answers the trekker hid or shortened (counts only: no
-- reviewer, no time, no answer; the audit log gets these counts once, at vaststellen).
-- established_on: the day the report was vastgesteld (status 'report' from then on).
CREATE TABLE qs_review (
    scan_id INTEGER PRIMARY KEY REFERENCES qs_scan(id),
    hidden INTEGER NOT NULL DEFAULT 0,
    redacted INTEGER NOT NULL DEFAULT 0,
    established_on TEXT CHECK (established_on IS NULL OR length(established_on) = 10)
);
-- Scans past "Rapport vaststellen" before this migration: the day is not known; the closing
-- day is the earliest it can have been.
INSERT INTO qs_review (scan_id, established_on)
    SELECT id, COALESCE(closed_on, created_on) FROM qs_scan WHERE status IN ('report', 'verbeteragenda')
