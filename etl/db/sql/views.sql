-- The public views (interface.md §2). Each shows the current state: for every scope the load with
-- the highest precedence that is not retracted; superseded and retracted loads stay in the tables.

CREATE OR REPLACE VIEW current_scopes AS
SELECT s.scope, arg_max(i.import_id, i.precedence) AS import_id
FROM import_scopes s
JOIN imports i USING (import_id)
WHERE NOT i.retracted
GROUP BY s.scope;

-- The load that is current for one scope, exactly as current_scopes says. The views ask it per
-- data row (`r.import_id = current_load(r.scope)`) rather than joining current_scopes: a query
-- that reads one year or one cluster then looks up only the scopes of its rows, not every scope
-- of every load.
CREATE OR REPLACE MACRO current_load(for_scope) AS (
    SELECT arg_max(i.import_id, i.precedence)
    FROM import_scopes s
    JOIN imports i USING (import_id)
    WHERE s.scope = for_scope AND NOT i.retracted
);

-- For each scope of each load, the load that took that scope over from it: the first later (higher
-- precedence) load that is not retracted and speaks for the same scope. A scope with none is
-- current from this load, exactly as current_scopes says; so the lineage below is the one the
-- views use, also after a retract or a restore.
CREATE OR REPLACE VIEW import_takeovers AS
WITH s AS (
    SELECT s.import_id, s.scope, i.precedence, i.retracted
    FROM import_scopes s
    JOIN imports i USING (import_id)
)
SELECT a.import_id, a.scope, arg_min(b.import_id, b.precedence) AS taken_by
FROM s a
LEFT JOIN s b ON b.scope = a.scope AND b.precedence > a.precedence AND NOT b.retracted
GROUP BY a.import_id, a.scope;

-- A load whose scopes were only partly taken over is still current for the rest: its status stays
-- 'loaded' and status_note says which loads replaced the other part. superseded_by is the load that
-- took over its last current scope (the newest of replaced_by).
CREATE OR REPLACE VIEW v_imports AS
WITH per_load AS (
    SELECT t.import_id, count(*) AS scopes_total,
           count(*) FILTER (WHERE t.taken_by IS NULL) AS scopes_current,
           arg_max(t.taken_by, k.precedence) AS last_taker,
           array_to_string(list_sort(list(DISTINCT t.taken_by)), ', ') AS replaced_by
    FROM import_takeovers t
    LEFT JOIN imports k ON k.import_id = t.taken_by
    GROUP BY t.import_id
),
classified AS (
    SELECT i.*, p.scopes_total, p.scopes_current, nullif(p.replaced_by, '') AS replaced,
           p.last_taker,
           CASE WHEN i.retracted THEN 'retracted'
                WHEN coalesce(p.scopes_current, 0) > 0 THEN 'loaded'
                ELSE 'superseded' END AS status
    FROM imports i
    LEFT JOIN per_load p USING (import_id)
)
SELECT import_id, file_name, sha256, kinds, rows_loaded, status,
       CASE WHEN status = 'superseded' THEN last_taker END AS superseded_by,
       loaded_by, loaded_at, stored_path, precedence,
       CASE WHEN status <> 'retracted' THEN replaced END AS replaced_by,
       coalesce(scopes_total, 0) AS scopes_total,
       CASE WHEN status = 'retracted' THEN 0 ELSE coalesce(scopes_current, 0) END
           AS scopes_current,
       CASE WHEN status = 'loaded' AND replaced IS NOT NULL THEN
                'Còn hiệu lực một phần (' || scopes_current || '/' || scopes_total
                || ' phạm vi dữ liệu); phần còn lại đã được thay bởi lần nạp số ' || replaced || '.'
            WHEN status = 'superseded' AND replaced IS NOT NULL THEN
                'Đã được thay toàn bộ bởi lần nạp số ' || replaced || '.'
       END AS status_note
FROM classified
ORDER BY import_id;

-- v_unit_scores without its order, for queries that order or aggregate the rows themselves. Ranks
-- and leading units are computed per year and cluster: a filter on those reaches below the
-- windows, one on a unit does not. So the rows can be limited to whole years and clusters up
-- front: with for_unit, those in which that unit has a score row (of any load); with in_years (a
-- list), those of these years.
CREATE OR REPLACE MACRO unit_scores_of(for_unit, in_years) AS TABLE
WITH cfg AS (
    SELECT
        max(CASE WHEN name = 'class_excellent_pct' THEN TRY_CAST(value AS DOUBLE) END) AS excellent,
        max(CASE WHEN name = 'class_good_pct' THEN TRY_CAST(value AS DOUBLE) END) AS good,
        max(CASE WHEN name = 'class_done_pct' THEN TRY_CAST(value AS DOUBLE) END) AS done,
        coalesce(max(CASE WHEN name = 'tie_break' THEN value END), 'none') AS tie_break
    FROM settings
),
cur AS (
    SELECT r.*,
           (r.not_ranked_reason IS NULL AND r.total_score IS NOT NULL) AS rankable
    FROM (
        SELECT * FROM unit_results r
        WHERE (for_unit IS NULL OR EXISTS (
                  SELECT 1 FROM unit_results u
                  WHERE u.unit = for_unit AND u.year = r.year AND u.cluster = r.cluster))
          AND (in_years IS NULL OR list_contains(in_years, r.year))
    ) r
    WHERE r.import_id = current_load(r.scope)
),
ranked AS (
    SELECT cur.*,
           CASE WHEN rankable THEN
               rank() OVER (
                   PARTITION BY year, cluster, rankable
                   ORDER BY round(total_score, 2) DESC,
                            CASE WHEN cfg.tie_break = 'group_1' THEN group1_score END DESC NULLS LAST
               )
           END AS computed_rank,
           cfg.excellent, cfg.good, cfg.done
    FROM cur, cfg
)
SELECT year, cluster, unit, max_score, self_score, assessed_score, bonus, deduction, total_score,
       CASE WHEN assessed_score IS NOT NULL THEN 'assessed' ELSE 'self' END AS score_basis,
       CAST(computed_rank AS INTEGER) AS rank,
       CASE WHEN NOT rankable THEN coalesce(not_ranked_reason, 'Chưa có tổng điểm') END
           AS not_ranked_reason,
       CASE WHEN total_score IS NULL OR max_score IS NULL OR max_score = 0 THEN NULL
            WHEN total_score * 100.0 / max_score >= excellent THEN 'Hoàn thành xuất sắc nhiệm vụ'
            WHEN total_score * 100.0 / max_score >= good THEN 'Hoàn thành tốt nhiệm vụ'
            WHEN total_score * 100.0 / max_score >= done THEN 'Hoàn thành nhiệm vụ'
            ELSE 'Không hoàn thành nhiệm vụ' END AS classification,
       file_rank,
       import_id,
       CASE WHEN total_score IS NULL OR max_score IS NULL OR max_score = 0 THEN NULL
            ELSE total_score * 100.0 / max_score END AS score_pct,
       coalesce(voted_leading, false) AS voted_leading,
       CASE WHEN bool_or(coalesce(voted_leading, false)) OVER (PARTITION BY year, cluster)
                THEN coalesce(voted_leading, false)
            ELSE computed_rank = 1 END AS is_leading,
       file_classification, proposal, file_total, group1_score, source_kind,
       source_file, source_sheet, source_cell
FROM ranked;

CREATE OR REPLACE VIEW current_unit_scores AS
SELECT * FROM unit_scores_of(NULL, NULL);

CREATE OR REPLACE VIEW v_unit_scores AS
SELECT * FROM current_unit_scores
ORDER BY year, cluster, rank NULLS LAST, unit;

CREATE OR REPLACE VIEW v_criterion_scores AS
SELECT r.year, r.cluster, r.unit, r.seq, r.code, r.parent_seq, r.level, r.criterion, r.section,
       r.max_points, r.self_score, r.assessed_score, r.source_file, r.source_sheet,
       r.source_cell, r.import_id, r.bonus_allowed, r.deduction_allowed, r.self_computed,
       r.assessed_computed, r.note, r.source_row
FROM criterion_scores r
WHERE r.import_id = current_load(r.scope)
ORDER BY r.year, r.cluster, r.unit, r.seq;

-- v_target_completion without its order (see current_unit_scores).
CREATE OR REPLACE VIEW current_target_completion AS
SELECT r.year, r.period, r.cluster, r.unit, r.target, r.uom, r.direction, r.planned, r.actual,
       r.planned_text, r.actual_text, r.completion_pct, r.met, r.source_file, r.source_sheet,
       r.source_row, r.import_id, r.seq, r.code, r.file_pct, r.note
FROM targets r
WHERE r.import_id = current_load(r.scope);

CREATE OR REPLACE VIEW v_target_completion AS
SELECT * FROM current_target_completion
ORDER BY year, period, cluster, unit, seq;

-- v_cluster_members without its order, with the list's row number (seq) it is ordered by.
CREATE OR REPLACE VIEW current_cluster_members AS
SELECT r.year, r.cluster, r.unit, r.role, r.short_name, r.import_id, r.seq
FROM members r
WHERE r.import_id = current_load(r.scope);

CREATE OR REPLACE VIEW v_cluster_members AS
SELECT year, cluster, unit, role, short_name, import_id
FROM current_cluster_members
ORDER BY year, cluster, seq;

-- One row per indicator and year: within a load, an actual beats an estimate beats a plan.
CREATE OR REPLACE VIEW v_province_indicators AS
WITH vals AS (
    SELECT r.*
    FROM indicator_values r
    WHERE r.import_id = current_load(r.scope)
    QUALIFY row_number() OVER (
        PARTITION BY r.indicator_key, r.year
        ORDER BY CASE r.value_kind WHEN 'actual' THEN 0 WHEN 'estimate' THEN 1 ELSE 2 END
    ) = 1
),
tgt AS (
    SELECT t.*
    FROM indicator_targets t
    WHERE t.import_id = current_load(t.scope)
),
joined AS (
    SELECT v.indicator_key, coalesce(t.indicator, v.indicator) AS indicator,
           coalesce(v.uom, t.uom) AS uom, v.year, v.value, v.value_kind,
           t.target_text, t.target_low, t.target_high, t.target_direction, t.horizon,
           v.source, v.basis, v.note, v.import_id, v.source_file, v.source_sheet, v.source_cell,
           v.value - lag(v.value) OVER (PARTITION BY v.indicator_key ORDER BY v.year) AS change,
           lag(v.year) OVER (PARTITION BY v.indicator_key ORDER BY v.year) AS previous_year,
           lag(v.basis) OVER (PARTITION BY v.indicator_key ORDER BY v.year) AS previous_basis
    FROM vals v
    LEFT JOIN tgt t USING (indicator_key)
)
SELECT indicator, uom, year, value, value_kind, target_text, target_low, target_high,
       target_direction,
       CASE
           WHEN value IS NULL OR target_direction IS NULL OR target_low IS NULL THEN NULL
           WHEN target_direction = 'decrease' THEN
               -- A yearly fall compares like with like only: consecutive years, the same basis,
               -- and the same province (not across the 1 July 2025 merger).
               CASE WHEN change IS NULL OR previous_year <> year - 1
                         OR previous_basis <> basis
                         OR (previous_year <= 2024 AND year >= 2025) THEN NULL
                    WHEN -change > coalesce(target_high, target_low) + 1e-9 THEN 'vượt'
                    WHEN -change >= target_low - 1e-9 THEN 'đạt'
                    ELSE 'chưa đạt' END
           WHEN target_direction = 'lower' THEN
               CASE WHEN value < target_low - 1e-9 THEN 'vượt'
                    WHEN value <= coalesce(target_high, target_low) + 1e-9 THEN 'đạt'
                    ELSE 'chưa đạt' END
           -- A structure share ("Tỷ trọng …") has no good side: outside its band is not met.
           WHEN target_direction = 'band' AND starts_with(lower(indicator), 'tỷ trọng') THEN
               CASE WHEN value BETWEEN target_low - 1e-9 AND coalesce(target_high, target_low) + 1e-9
                        THEN 'đạt'
                    ELSE 'chưa đạt' END
           ELSE
               CASE WHEN value > coalesce(target_high, target_low) + 1e-9 THEN 'vượt'
                    WHEN value >= target_low - 1e-9 THEN 'đạt'
                    ELSE 'chưa đạt' END
       END AS status,
       source, import_id, indicator_key, basis, note, horizon, change, source_file,
       source_sheet, source_cell
FROM joined
ORDER BY indicator_key, year;
