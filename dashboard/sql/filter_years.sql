-- Years that have emulation data (scores, criteria, targets or membership), newest first.
SELECT year FROM (
    SELECT year FROM v_unit_scores
    UNION SELECT year FROM v_criterion_scores
    UNION SELECT year FROM v_target_completion
    UNION SELECT year FROM v_cluster_members
)
ORDER BY year DESC
