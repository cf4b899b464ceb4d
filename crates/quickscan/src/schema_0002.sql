-- The smallest group shown is 5 self-submitted answers and cannot be set lower (issue 11):
-- existing scans with a lower threshold are raised, and the database refuses lower values.
UPDATE qs_scan SET min_group = 5 WHERE min_group < 5;
CREATE TRIGGER qs_scan_min_group_insert BEFORE INSERT ON qs_scan
WHEN NEW.min_group < 5 BEGIN SELECT RAISE(ABORT, 'min_group must be at least 5'); END;
CREATE TRIGGER qs_scan_min_group_update BEFORE UPDATE OF min_group ON qs_scan
WHEN NEW.min_group < 5 BEGIN SELECT RAISE(ABORT, 'min_group must be at least 5'); END
