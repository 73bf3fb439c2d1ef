-- Check-ins that arrived after a later check-in of the same participant had already been counted
-- (paper sheets typed in weeks later): counted in their own hour in full, but the later hours'
-- first-time and sustained counts of that participant were not revised (docs/methods.md,
-- "Late signals"). Pipeline health shows how often that happens, so no figure is revised in silence.
ALTER TABLE neighbourhood_hourly ADD COLUMN partly_counted_check_ins bigint NOT NULL DEFAULT 0;

-- Per neighbourhood and day: how many check-ins arrived, and how many of them partly counted.
-- Counts of check-ins, not of people, and no breakdown by participant or group.
CREATE VIEW pipeline_partly_counted_daily AS
SELECT h.neighbourhood_id, date_trunc('day', h.window_start) AS day,
       sum(h.check_ins)::bigint AS check_ins, sum(h.partly_counted_check_ins)::bigint AS partly_counted_check_ins
  FROM neighbourhood_hourly h
 WHERE h.activity_id = ''
 GROUP BY 1, 2;

GRANT SELECT ON pipeline_partly_counted_daily TO barometer_dashboard;
