-- Kind F, the scoring framework (bảng điểm chuẩn, workbooks.md §6b): the criteria tree of a year
-- and cluster with its maxima and no scores. cluster NULL: the framework of every cluster of that
-- year that has none of its own. Applied after views.sql (it uses current_load).

CREATE TABLE IF NOT EXISTS framework_criteria (
    import_id         INTEGER NOT NULL,
    scope             VARCHAR NOT NULL,  -- F|year|cluster
    year              INTEGER NOT NULL,
    cluster           VARCHAR,
    seq               INTEGER NOT NULL,
    code              VARCHAR,
    parent_seq        INTEGER,
    level             INTEGER NOT NULL,
    criterion         VARCHAR,
    section           VARCHAR NOT NULL,
    max_points        DOUBLE,
    bonus_allowed     DOUBLE,
    deduction_allowed DOUBLE,
    note              VARCHAR,
    source_file       VARCHAR,
    source_sheet      VARCHAR,
    source_cell       VARCHAR,  -- the A1 address of the maximum (or of the row's first cell)
    source_row        INTEGER
);

CREATE OR REPLACE VIEW v_framework_criteria AS
SELECT r.year, r.cluster, r.seq, r.code, r.parent_seq, r.level, r.criterion, r.max_points,
       r.import_id, r.section, r.bonus_allowed, r.deduction_allowed, r.note, r.source_file,
       r.source_sheet, r.source_cell, r.source_row
FROM framework_criteria r
WHERE r.import_id = current_load(r.scope)
ORDER BY r.year, r.cluster NULLS FIRST, r.seq;
