-- Province socio-economic indicators with their targets; `basis_break` marks a year whose basis
-- differs from the previous year's (e.g. a new poverty standard), so the series must not be joined.
SELECT indicator_key, indicator, uom, year, value, value_kind, target_text, target_low, target_high,
       target_direction, horizon, status, change, basis, note, source,
       source_file, source_sheet, source_cell, import_id,
       lag(year) OVER w IS NOT NULL
           AND coalesce(basis, '') <> coalesce(lag(basis) OVER w, '') AS basis_break
FROM v_province_indicators
WINDOW w AS (PARTITION BY indicator_key ORDER BY year)
ORDER BY indicator_key, year
