-- A unit's award history (granted awards with their decisions), every year.
SELECT year, cluster, award, decision, achievement, source_file
FROM v_award_history
WHERE lower(unit) = lower($unit)
ORDER BY year DESC, award
