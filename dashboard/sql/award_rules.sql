-- The award rules with their basis, in checking order.
SELECT r.rule_id, coalesce(f.name, r.award_code) AS award, r.check_kind, r.description,
       CASE WHEN r.check_kind = 'quota_share'
            THEN vn_num(CAST(r.value AS DOUBLE) * 100) || '%'
            ELSE coalesce(r.value, '–') END AS value,
       r.basis, r.fixed,
       CASE WHEN r.edited_by IS NOT NULL
            THEN r.edited_by || ' · ' || strftime(r.edited_at, '%d/%m/%Y %H:%M') END AS edited
FROM award_rules r
LEFT JOIN award_forms f ON f.code = r.award_code
ORDER BY r.seq
