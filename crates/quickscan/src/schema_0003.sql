-- Personal links are stored only as hashes, one row per link sent (invitation, reminder).
-- Existing plain links in qs_invitation.token are hashed into this table by
-- store::upgrade_secrets at start; the column stays empty from now on.
CREATE TABLE qs_invitation_link (
    token_hash TEXT PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES qs_invitation(id)
) WITHOUT ROWID;
CREATE INDEX qs_invitation_link_inv ON qs_invitation_link(invitation_id)
