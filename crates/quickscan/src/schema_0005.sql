-- The organisation's profile: its own name, return address, house colour, contact for
-- respondents and the privacy statement's fields. One row per organisation, all optional.
CREATE TABLE qs_org_profile (
    org_id TEXT PRIMARY KEY REFERENCES qs_org(org_id),
    display_name TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    privacy_purpose TEXT NOT NULL DEFAULT '',
    privacy_officer TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
-- The logo, checked by branding::check_logo before it is stored (PNG or JPEG, at most 200 KB).
CREATE TABLE qs_org_logo (
    org_id TEXT PRIMARY KEY REFERENCES qs_org(org_id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    data BLOB NOT NULL CHECK (length(data) <= 204800),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL
) WITHOUT ROWID
