-- Verbeteragenda items linked to report findings (issue 12): a theme key or an item key of the
-- questionnaire (stable across waves), so an item points at the place in the report it answers.
CREATE TABLE qs_agenda_finding (
    agenda_id INTEGER NOT NULL REFERENCES qs_agenda(id),
    finding TEXT NOT NULL,
    PRIMARY KEY (agenda_id, finding)
) WITHOUT ROWID
