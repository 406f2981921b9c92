-- Cheap fingerprint of the database state: any load, retract, restore or settings change alters it.
SELECT coalesce(max(import_id), 0) AS max_import,
       coalesce(max(precedence), 0) AS max_precedence,
       count(*) FILTER (WHERE retracted) AS retracted,
       count(*) FILTER (WHERE NOT retracted) AS active_loads,
       (SELECT coalesce(string_agg(name || '=' || coalesce(value, ''), ';' ORDER BY name), '')
        FROM settings) AS settings
FROM imports
