-- Cheap fingerprint of the database state: any load, retract, restore or settings change alters
-- it (a load raises max_import, a restore raises max_precedence, a retract or restore changes
-- `retracted`). `emulation_scopes` is 1 when some load that is not retracted speaks for a scope
-- other than the province indicators (D, DT) and scoring frameworks (F), i.e. some emulation
-- data is current; a database holding only the shipped reference figures counts as empty. Reads
-- only the small `imports` table and stops at the first matching scope: it runs on every run.
SELECT coalesce(max(import_id), 0) AS max_import,
       coalesce(max(precedence), 0) AS max_precedence,
       count(*) FILTER (WHERE retracted) AS retracted,
       (SELECT count(*) FROM (
            SELECT 1 FROM import_scopes s JOIN imports i USING (import_id)
            WHERE NOT i.retracted AND lower(split_part(s.scope, '|', 1)) NOT IN ('d', 'dt', 'f')
            LIMIT 1)) AS emulation_scopes,
       count(*) AS loads,
       (SELECT coalesce(string_agg(name || '=' || coalesce(value, ''), ';' ORDER BY name), '')
        FROM settings) AS settings,
       -- What administrators type on the pages (due dates, award rules, calendar entries).
       (SELECT count(*) || '/' || coalesce(max(set_at)::VARCHAR, '') FROM due_dates)
           || '|' || (SELECT coalesce(max(edited_at)::VARCHAR, '') FROM award_rules)
           || '|' || (SELECT count(*) || '/' || coalesce(max(entry_id), 0) FROM calendar_entries)
           AS admin_edits
FROM imports
