-- The loads as they stood at a moment ($at, and for "just after load N" also $upto = N; else NULL):
-- the same rule on both storages, from the loads' times and the audit trail of retracts and
-- restores. A restore of a withdrawn load takes the withdrawal back; a restore of a superseded
-- load puts it on top again (precedence above every load before it), as etl.load does. The audit
-- trail's clock keeps whole seconds, and so does this rule for retracts and restores.
WITH logged AS (
    -- etl.actions writes {"import_id": N, "ok": true|false}; older files have "import N".
    SELECT action, at_time, audit_id,
           CASE WHEN starts_with(detail, '{')
                THEN TRY_CAST(json_extract_string(detail, '$.import_id') AS INTEGER)
                ELSE TRY_CAST(regexp_extract(detail, '^import (\d+)$', 1) AS INTEGER)
           END AS import_id,
           CASE WHEN starts_with(detail, '{')
                THEN coalesce(TRY_CAST(json_extract_string(detail, '$.ok') AS BOOLEAN), false)
                ELSE true
           END AS ok
    FROM src.main.audit_log
    WHERE action IN ('retract', 'restore') AND at_time <= $at
),
events AS (
    SELECT import_id, action, at_time, audit_id FROM logged WHERE ok AND import_id IS NOT NULL
),
ordered AS (
    SELECT *, lag(action) OVER (PARTITION BY import_id ORDER BY at_time, audit_id) AS before
    FROM events
),
per_load AS (
    SELECT import_id,
           arg_max(action, (at_time, audit_id)) = 'retract' AS retracted,
           max(at_time) FILTER (WHERE action = 'restore' AND coalesce(before, '') <> 'retract')
               AS raised_at
    FROM ordered
    GROUP BY import_id
),
loads AS (
    SELECT i.* EXCLUDE (retracted, precedence),
           coalesce(p.retracted, false) AS retracted,
           i.precedence AS precedence_now,
           greatest(i.loaded_at, coalesce(p.raised_at, i.loaded_at)) AS active_from,
           i.loaded_by = 'dữ liệu tham chiếu' AS shipped
    FROM src.main.imports i
    LEFT JOIN per_load p USING (import_id)
    WHERE i.loaded_at <= $at AND ($upto IS NULL OR i.import_id <= $upto)
)
SELECT * EXCLUDE (precedence_now, active_from, shipped),
       CASE WHEN shipped THEN precedence_now  -- shipped reference data stays below every upload
            -- The audit trail keeps whole seconds: within one second the order that stands
            -- today (the current precedence) decides.
            ELSE CAST(row_number() OVER (
                     PARTITION BY shipped
                     ORDER BY date_trunc('second', active_from), precedence_now, import_id
                 ) AS INTEGER) END AS precedence
FROM loads
