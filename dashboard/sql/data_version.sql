-- Cheap fingerprint of the database state: any load, retract, restore or settings change alters
-- it. `emulation_scopes` counts the current scopes that are not province indicators (D, DT), so a
-- database holding only the shipped reference figures still counts as empty.
SELECT coalesce(max(import_id), 0) AS max_import,
       coalesce(max(precedence), 0) AS max_precedence,
       count(*) FILTER (WHERE retracted) AS retracted,
       (SELECT count(*) FROM current_scopes
        WHERE lower(split_part(scope, '|', 1)) NOT IN ('d', 'dt')) AS emulation_scopes,
       (SELECT count(*) FROM current_scopes) AS current_scopes,
       (SELECT coalesce(string_agg(name || '=' || coalesce(value, ''), ';' ORDER BY name), '')
        FROM settings) AS settings
FROM imports
