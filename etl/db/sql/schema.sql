-- Tables behind the public views (views.sql). Idempotent: applied on every read-write open.

CREATE TABLE IF NOT EXISTS settings (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR,
    help  VARCHAR
);

-- Ids are max + 1, taken under the writer lock: DuckLake (the national storage) has no sequences.

-- One row per load. A load's data stays forever; which load is current for a scope is decided by
-- `precedence` (raised again when a superseded load is restored; a retracted one keeps its own)
-- among loads that are not retracted.
CREATE TABLE IF NOT EXISTS imports (
    import_id   INTEGER PRIMARY KEY,
    file_name   VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,
    stored_path VARCHAR,
    kinds       VARCHAR,
    rows_loaded INTEGER,
    precedence  INTEGER NOT NULL,
    retracted   BOOLEAN NOT NULL DEFAULT false,
    loaded_by   VARCHAR,
    loaded_at   TIMESTAMP NOT NULL,
    options     VARCHAR,  -- JSON: the --year/--cluster/... given at load, replayed by rebuild
    report      VARCHAR   -- JSON: the validation report (warnings) of the load
);

-- What a load speaks for: e.g. S|2026|cụm thi đua số 4|ban tổ chức... (a unit's score),
-- T|... (its criteria tree), C|... (its targets), D|... (an indicator-year), E|... (membership).
CREATE TABLE IF NOT EXISTS import_scopes (
    import_id INTEGER NOT NULL,
    scope     VARCHAR NOT NULL,
    PRIMARY KEY (import_id, scope)
);

CREATE TABLE IF NOT EXISTS unit_results (
    import_id          INTEGER NOT NULL,
    scope              VARCHAR NOT NULL,
    source_kind        VARCHAR NOT NULL,  -- 'A' scoring sheet, 'B' cluster summary
    year               INTEGER NOT NULL,
    cluster            VARCHAR NOT NULL,
    unit               VARCHAR NOT NULL,
    max_score          DOUBLE,
    self_score         DOUBLE,
    assessed_score     DOUBLE,
    bonus              DOUBLE,
    deduction          DOUBLE,
    total_score        DOUBLE,
    group1_score       DOUBLE,            -- score of the first criterion group, for the tie-break
    file_total         DOUBLE,            -- the total the sheet itself states
    file_rank          INTEGER,
    file_classification VARCHAR,
    proposal           VARCHAR,           -- Đề nghị khen thưởng
    voted_leading      BOOLEAN,           -- the cluster's vote, when the file records it
    not_ranked_reason  VARCHAR,
    note               VARCHAR,
    source_file        VARCHAR,
    source_sheet       VARCHAR,
    source_cell        VARCHAR
);

CREATE TABLE IF NOT EXISTS criterion_scores (
    import_id         INTEGER NOT NULL,
    scope             VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    cluster           VARCHAR NOT NULL,
    unit              VARCHAR NOT NULL,
    seq               INTEGER NOT NULL,
    code              VARCHAR,
    parent_seq        INTEGER,
    level             INTEGER NOT NULL,
    criterion         VARCHAR,
    section           VARCHAR NOT NULL,
    max_points        DOUBLE,
    bonus_allowed     DOUBLE,
    deduction_allowed DOUBLE,
    self_score        DOUBLE,
    assessed_score    DOUBLE,
    self_computed     DOUBLE,   -- the row's own value, else the sum of its children
    assessed_computed DOUBLE,
    note              VARCHAR,
    source_file       VARCHAR,
    source_sheet      VARCHAR,
    source_cell       VARCHAR,
    source_row        INTEGER
);

CREATE TABLE IF NOT EXISTS targets (
    import_id      INTEGER NOT NULL,
    scope          VARCHAR NOT NULL,
    year           INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    cluster        VARCHAR,
    unit           VARCHAR NOT NULL,
    seq            INTEGER NOT NULL,
    code           VARCHAR,
    target         VARCHAR NOT NULL,
    uom            VARCHAR,
    direction      VARCHAR NOT NULL,
    planned        DOUBLE,
    actual         DOUBLE,
    planned_text   VARCHAR,
    actual_text    VARCHAR,
    completion_pct DOUBLE,
    met            BOOLEAN,
    file_pct       DOUBLE,
    note           VARCHAR,
    source_file    VARCHAR,
    source_sheet   VARCHAR,
    source_row     INTEGER
);

CREATE TABLE IF NOT EXISTS indicator_values (
    import_id     INTEGER NOT NULL,
    scope         VARCHAR NOT NULL,
    indicator_key VARCHAR NOT NULL,
    indicator     VARCHAR NOT NULL,
    uom           VARCHAR,
    year          INTEGER NOT NULL,
    value         DOUBLE,
    value_kind    VARCHAR NOT NULL,
    source        VARCHAR,
    basis         VARCHAR,
    note          VARCHAR,
    source_file   VARCHAR,
    source_sheet  VARCHAR,
    source_cell   VARCHAR
);

CREATE TABLE IF NOT EXISTS indicator_targets (
    import_id        INTEGER NOT NULL,
    scope            VARCHAR NOT NULL,
    indicator_key    VARCHAR NOT NULL,
    indicator        VARCHAR NOT NULL,
    uom              VARCHAR,
    target_text      VARCHAR,
    target_low       DOUBLE,
    target_high      DOUBLE,
    target_direction VARCHAR,
    horizon          VARCHAR,
    source           VARCHAR
);

CREATE TABLE IF NOT EXISTS members (
    import_id  INTEGER NOT NULL,
    scope      VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    cluster    VARCHAR NOT NULL,
    unit       VARCHAR NOT NULL,
    role       VARCHAR,
    short_name VARCHAR,
    seq        INTEGER
);

-- Local accounts of the dashboard; passwords only ever as scrypt hashes.
CREATE TABLE IF NOT EXISTS users (
    name          VARCHAR PRIMARY KEY,
    role          VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_log (
    audit_id INTEGER PRIMARY KEY,
    at_time  TIMESTAMP NOT NULL,
    actor    VARCHAR,
    action   VARCHAR NOT NULL,  -- sign_in, sign_in_failed, upload, retract, restore, user_add, ...
    detail   VARCHAR
);
