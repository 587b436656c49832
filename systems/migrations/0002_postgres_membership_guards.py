"""Guards PostgreSQL can keep that a CHECK constraint cannot.

- No two memberships of the same organisation in the same system may overlap in time
  (an exclusion constraint over the date range).
- One organisation's shares may not add up to more than 1 on any day. This is a deferred
  constraint trigger, so a multi-row edit that moves share between systems is checked once,
  at commit, as a whole.

SQLite (the embedded development default) has neither; there `Membership.clean()` and the
actions refuse the same cases before anything is written.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE systems_membership ADD CONSTRAINT membership_no_overlap_same_system
    EXCLUDE USING gist (
        organisation_id WITH =,
        system_id WITH =,
        daterange(valid_from, valid_until, '[]') WITH &&
    );

CREATE FUNCTION systems_membership_share_check() RETURNS trigger AS $$
DECLARE
    peak_day date;
    peak_total numeric;
BEGIN
    SELECT starts.day, totals.total INTO peak_day, peak_total
    FROM (
        SELECT DISTINCT m.valid_from AS day
        FROM systems_membership m
        WHERE m.organisation_id = NEW.organisation_id
    ) AS starts
    CROSS JOIN LATERAL (
        SELECT sum(x.share) AS total
        FROM systems_membership x
        WHERE x.organisation_id = NEW.organisation_id
          AND x.valid_from <= starts.day
          AND (x.valid_until IS NULL OR x.valid_until >= starts.day)
    ) AS totals
    WHERE totals.total > 1
    ORDER BY starts.day
    LIMIT 1;
    IF peak_day IS NOT NULL THEN
        RAISE EXCEPTION 'shares of organisation % add up to % on %', NEW.organisation_id,
            peak_total, peak_day
            USING ERRCODE = 'check_violation', CONSTRAINT = 'membership_shares_at_most_one';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER membership_shares_at_most_one
    AFTER INSERT OR UPDATE ON systems_membership
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION systems_membership_share_check();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS membership_shares_at_most_one ON systems_membership;
DROP FUNCTION IF EXISTS systems_membership_share_check();
ALTER TABLE systems_membership DROP CONSTRAINT IF EXISTS membership_no_overlap_same_system;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("systems", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
