-- The emulation year (workbooks.md §8, §9): submissions and their due dates, award proposals and
-- their rules, the campaign calendar. Tables first, then the views (interface.md §2).

-- One row per unit, period and load that reports it: a scoring sheet (A, A2) or target file (C)
-- of that period, or a summary row (B) for the year report. `scope` is the data row's own scope.
CREATE TABLE IF NOT EXISTS submissions (
    import_id    INTEGER NOT NULL,
    scope        VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    period       VARCHAR NOT NULL,
    cluster      VARCHAR,
    unit         VARCHAR NOT NULL,
    doc_date     DATE,        -- the date line of the title block, when there is one
    source_file  VARCHAR,
    source_sheet VARCHAR,
    source_cell  VARCHAR      -- the cell of the date line
);

-- Due dates set by an administrator per cluster, year and period; without a row the defaults of
-- §8 apply (H1: 20/6, year: 20/12). A quarter is due only for a cluster that has a row for it
-- (or has reported it).
CREATE TABLE IF NOT EXISTS due_dates (
    year     INTEGER NOT NULL,
    cluster  VARCHAR NOT NULL,
    period   VARCHAR NOT NULL,
    due_date DATE NOT NULL,
    set_by   VARCHAR,
    set_at   TIMESTAMP,
    PRIMARY KEY (year, cluster, period)
);

-- The submissions of every member unit as of a day: v_submissions is this as of "today".
CREATE OR REPLACE MACRO submissions_as_of(as_of) AS TABLE
WITH live AS (
    SELECT s.*, coalesce(s.doc_date, CAST(i.loaded_at AS DATE)) AS submitted_on
    FROM submissions s
    JOIN imports i USING (import_id)
    WHERE NOT i.retracted
),
listed_years AS (SELECT DISTINCT year FROM current_cluster_members),
roster AS (
    SELECT DISTINCT year, cluster, unit FROM current_cluster_members
    UNION
    -- Without a membership list for the year: the units seen, in the cluster their file names.
    SELECT DISTINCT year, coalesce(cluster, 'Chưa rõ cụm, khối'), unit
    FROM live
    WHERE year NOT IN (SELECT year FROM listed_years)
),
periods AS (
    SELECT DISTINCT r.year, r.cluster, p.period
    FROM roster r, (VALUES ('H1'), ('year')) p(period)
    UNION
    SELECT year, cluster, period FROM due_dates
    UNION
    -- A cluster that reports one quarter reports every quarter of that year.
    SELECT DISTINCT r.year, r.cluster, q.period
    FROM live l
    JOIN roster r ON r.year = l.year AND lower(r.unit) = lower(l.unit),
         (VALUES ('Q1'), ('Q2'), ('Q3'), ('Q4')) q(period)
    WHERE l.period LIKE 'Q%'
),
due AS (
    SELECT p.year, p.cluster, p.period,
           coalesce(d.due_date, CASE p.period
               WHEN 'H1' THEN make_date(p.year, 6, 20)
               WHEN 'year' THEN make_date(p.year, 12, 20)
               ELSE make_date(p.year, 3 * CAST(substr(p.period, 2) AS INTEGER), 20) END)
               AS due_date
    FROM periods p
    LEFT JOIN due_dates d USING (year, cluster, period)
),
firsts AS (
    -- The earliest document that reports the unit and period, as of the day: a corrected file
    -- sent later does not make an on-time report late.
    SELECT year, period, lower(unit) AS unit_key,
           arg_min(import_id, submitted_on) AS import_id,
           min(submitted_on) AS submitted_on
    FROM live
    WHERE submitted_on <= CAST(as_of AS DATE)
    GROUP BY ALL
)
SELECT r.year, d.period, r.cluster, r.unit, d.due_date, f.submitted_on,
       CASE WHEN f.submitted_on IS NOT NULL AND f.submitted_on <= d.due_date THEN 'đúng hạn'
            WHEN f.submitted_on IS NOT NULL THEN 'trễ hạn'
            WHEN CAST(as_of AS DATE) > d.due_date THEN 'chưa nộp'
            ELSE 'chưa đến hạn' END AS status,
       CASE WHEN f.submitted_on IS NOT NULL AND f.submitted_on > d.due_date
                THEN CAST(f.submitted_on - d.due_date AS INTEGER)
            WHEN f.submitted_on IS NULL AND CAST(as_of AS DATE) > d.due_date
                THEN CAST(CAST(as_of AS DATE) - d.due_date AS INTEGER)
            ELSE 0 END AS days_late,
       f.import_id,
       CAST(as_of AS DATE) AS as_of
FROM roster r
JOIN due d ON d.year = r.year AND d.cluster = r.cluster
LEFT JOIN firsts f ON f.year = r.year AND f.period = d.period AND f.unit_key = lower(r.unit)
ORDER BY r.year, d.due_date, r.cluster, r.unit;

-- "Today" is the `today` setting (THIDUA_TODAY, copied in when the database is opened for
-- writing), else the machine's date.
CREATE OR REPLACE VIEW v_submissions AS
SELECT * FROM submissions_as_of(coalesce(
    (SELECT try_cast(nullif(value, '') AS DATE) FROM settings WHERE name = 'today'),
    current_date
));

-- Award forms and rules, copied from data/reference/ on every read-write open (etl/db/seeds.py);
-- a rule an administrator edited keeps the edit, a fixed rule is always the shipped one.
CREATE TABLE IF NOT EXISTS award_forms (
    code       VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    short_name VARCHAR,
    subject    VARCHAR   -- 'tập thể' | 'cá nhân' | 'cả hai'
);

CREATE TABLE IF NOT EXISTS award_rules (
    rule_id     VARCHAR PRIMARY KEY,
    seq         INTEGER NOT NULL,   -- eligibility rules are checked in this order, then quotas
    award_code  VARCHAR NOT NULL,
    check_kind  VARCHAR NOT NULL,   -- leading_only | min_classification | max_rank
                                    -- | quota_count | quota_share
    value       VARCHAR,
    applies_to  VARCHAR NOT NULL,   -- 'tập thể' | 'cá nhân' | 'cả hai'
    fixed       BOOLEAN NOT NULL DEFAULT false,
    description VARCHAR,
    basis       VARCHAR,            -- the text the rule rests on
    edited_by   VARCHAR,
    edited_at   TIMESTAMP
);

-- Proposals from proposal lists (kind G; scope per cluster and year) and from a summary's
-- "Đề nghị khen thưởng" column (kind B; the summary row's scope).
CREATE TABLE IF NOT EXISTS award_proposals (
    import_id    INTEGER NOT NULL,
    scope        VARCHAR NOT NULL,
    source_kind  VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    cluster      VARCHAR,
    name         VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,  -- 'tập thể' | 'cá nhân'
    award_code   VARCHAR,           -- NULL: not in the list of award forms
    award_text   VARCHAR,           -- as typed
    achievement  VARCHAR,
    decision     VARCHAR,           -- the decision that granted it, when granted
    note         VARCHAR,
    seq          INTEGER,
    source_file  VARCHAR,
    source_sheet VARCHAR,
    source_row   INTEGER
);

CREATE OR REPLACE MACRO vn_num(x) AS
    replace(regexp_replace(printf('%.2f', x), '\.?0+$', ''), '.', ',');

CREATE OR REPLACE VIEW v_award_proposals AS
WITH cur AS (
    SELECT p.*
    FROM award_proposals p
    WHERE p.import_id = current_load(p.scope)
),
one AS (
    -- A unit proposed for the same award by a list and by a summary is one proposal; a grant
    -- (with its decision) stands for the proposal it answers.
    SELECT *, row_number() OVER (ORDER BY year, cluster, source_kind DESC, import_id, seq) AS pid
    FROM cur
    QUALIFY row_number() OVER (
        PARTITION BY year, coalesce(cluster, ''), lower(name),
                     coalesce(award_code, lower(award_text))
        ORDER BY decision IS NULL, source_kind = 'B', import_id DESC, seq
    ) = 1
),
-- The scores of the years that have proposals: whole years, so ranks and leaders are as in
-- v_unit_scores, in its order.
scores AS (
    SELECT *
    FROM unit_scores_of(NULL, (SELECT coalesce(list(DISTINCT year), []) FROM award_proposals))
),
sized AS (
    SELECT year, cluster, count(rank) AS n_ranked,
           string_agg(unit, ', ' ORDER BY rank NULLS LAST, unit) FILTER (WHERE is_leading)
               AS leader
    FROM scores
    GROUP BY ALL
),
p AS (
    SELECT o.*, coalesce(f.name, o.award_text) AS award,
           u.unit IS NOT NULL AS scored, u.rank, u.total_score,
           coalesce(u.classification, u.file_classification) AS klass,
           coalesce(u.is_leading, false) AS is_leading,
           coalesce(s.n_ranked, 0) AS n_ranked, s.leader,
           CASE coalesce(u.classification, u.file_classification)
               WHEN 'Hoàn thành xuất sắc nhiệm vụ' THEN 4
               WHEN 'Hoàn thành tốt nhiệm vụ' THEN 3
               WHEN 'Hoàn thành nhiệm vụ' THEN 2
               WHEN 'Không hoàn thành nhiệm vụ' THEN 1 END AS klass_level
    FROM one o
    LEFT JOIN award_forms f ON f.code = o.award_code
    LEFT JOIN scores u
        ON u.year = o.year AND u.cluster = o.cluster AND lower(u.unit) = lower(o.name)
    LEFT JOIN sized s ON s.year = o.year AND s.cluster = o.cluster
),
rules AS (
    SELECT p.pid, r.rule_id, r.seq AS rule_seq, r.check_kind, r.value,
           r.rule_id || ': ' || r.description || ' (căn cứ: ' || r.basis || ')' AS rule_text
    FROM p
    JOIN award_rules r
        ON r.award_code = p.award_code AND (r.applies_to = 'cả hai' OR r.applies_to = p.subject)
),
eligibility AS (
    SELECT r.pid, r.rule_seq, r.rule_text,
           CASE
               WHEN NOT p.scored THEN
                   format('Chưa có kết quả chấm điểm của {} năm {} trong {} để xét quy tắc này.',
                          p.name, p.year, coalesce(p.cluster, 'cụm, khối nào'))
               WHEN r.check_kind = 'leading_only' AND NOT p.is_leading THEN
                   format('Chỉ đơn vị dẫn đầu cụm, khối được đề nghị {}; {} xếp hạng {} trong {} '
                          || 'năm {} (đơn vị dẫn đầu: {}).', p.award, p.name,
                          coalesce(CAST(p.rank AS VARCHAR), 'không xếp hạng'), p.cluster, p.year,
                          coalesce(p.leader, 'chưa xác định'))
               WHEN r.check_kind = 'min_classification' AND coalesce(p.klass_level, 0) <
                    CASE r.value WHEN 'Hoàn thành xuất sắc nhiệm vụ' THEN 4
                                 WHEN 'Hoàn thành tốt nhiệm vụ' THEN 3
                                 WHEN 'Hoàn thành nhiệm vụ' THEN 2 ELSE 1 END THEN
                   format('Cần xếp loại "{}" trở lên; {} xếp loại "{}" ({} điểm, hạng {}).',
                          r.value, p.name, coalesce(p.klass, 'chưa xếp loại'),
                          coalesce(vn_num(p.total_score), '?'),
                          coalesce(CAST(p.rank AS VARCHAR), 'không xếp hạng'))
               WHEN r.check_kind = 'max_rank'
                    AND coalesce(p.rank, 2147483647) > CAST(r.value AS INTEGER) THEN
                   format('Cần xếp hạng từ 1 đến {} trong cụm, khối; {} xếp hạng {} ({} điểm).',
                          r.value, p.name, coalesce(CAST(p.rank AS VARCHAR), 'không xếp hạng'),
                          coalesce(vn_num(p.total_score), '?'))
           END AS failure
    FROM rules r
    JOIN p USING (pid)
    WHERE r.check_kind IN ('leading_only', 'min_classification', 'max_rank')
),
failed AS (
    SELECT pid, arg_min({'rule': rule_text, 'reason': failure}, rule_seq) AS f
    FROM eligibility
    WHERE failure IS NOT NULL
    GROUP BY pid
),
quota AS (
    SELECT r.pid, r.rule_seq, r.rule_text, r.check_kind, r.value, p.award, p.cluster, p.year,
           p.n_ranked,
           CASE WHEN r.check_kind = 'quota_count' THEN CAST(r.value AS INTEGER)
                ELSE CAST(floor(CAST(r.value AS DOUBLE) * p.n_ranked + 1e-9) AS INTEGER) END
               AS lim,
           row_number() OVER w AS pos,
           count(*) OVER (PARTITION BY r.rule_id, p.year, p.cluster) AS n_prop
    FROM rules r
    JOIN p USING (pid)
    WHERE r.check_kind IN ('quota_count', 'quota_share')
      AND r.pid NOT IN (SELECT pid FROM failed)
    WINDOW w AS (PARTITION BY r.rule_id, p.year, p.cluster
                 ORDER BY p.decision IS NULL, p.rank NULLS LAST, p.source_row, p.pid)
),
over AS (
    SELECT pid, arg_min({
        'rule': rule_text,
        'reason': CASE WHEN check_kind = 'quota_count' THEN
                      format('Vượt hạn mức {}: tối đa {} mỗi cụm, khối một năm; {} năm {} đề nghị '
                             || '{} (đề nghị này đứng thứ {} theo xếp hạng).',
                             award, lim, cluster, year, n_prop, pos)
                  ELSE
                      format('Vượt hạn mức {}: tối đa {}% của {} đơn vị được xếp hạng, làm tròn '
                             || 'xuống = {}; {} năm {} đề nghị {} (đề nghị này đứng thứ {} theo '
                             || 'xếp hạng).', award, vn_num(CAST(value AS DOUBLE) * 100), n_ranked,
                             lim, cluster, year, n_prop, pos) END
    }, rule_seq) AS o
    FROM quota
    WHERE pos > lim
    GROUP BY pid
),
passed AS (
    SELECT r.pid, string_agg(r.rule_text, '; ' ORDER BY r.rule_seq) AS rules_text,
           string_agg(format('{}: suất {}/{}', q.award, q.pos, q.lim), '; ' ORDER BY r.rule_seq)
               FILTER (WHERE q.pid IS NOT NULL) AS quota_text
    FROM rules r
    LEFT JOIN quota q ON q.pid = r.pid AND q.rule_seq = r.rule_seq
    GROUP BY r.pid
)
SELECT p.year, p.cluster, p.name, p.award, p.achievement, p.decision,
       CASE WHEN p.award_code IS NULL OR f.pid IS NOT NULL THEN 'không đủ điều kiện'
            WHEN o.pid IS NOT NULL THEN 'vượt hạn mức'
            ELSE 'hợp lệ' END AS status,
       CASE WHEN p.award_code IS NULL
                THEN 'Danh mục hình thức khen thưởng (data/reference/award_forms.csv)'
            WHEN f.pid IS NOT NULL THEN f.f.rule
            WHEN o.pid IS NOT NULL THEN o.o.rule
            ELSE coalesce(ps.rules_text, 'Chưa có quy tắc cho hình thức này') END AS rule,
       CASE WHEN p.award_code IS NULL THEN
                format('Hình thức "{}" không có trong danh mục hình thức khen thưởng; hãy ghi đúng '
                       || 'tên (ví dụ "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh").', p.award_text)
            WHEN f.pid IS NOT NULL THEN f.f.reason
            WHEN o.pid IS NOT NULL THEN o.o.reason
            WHEN ps.pid IS NULL THEN 'Chưa có quy tắc kiểm tra cho hình thức này; Hội đồng xét theo hồ sơ.'
            ELSE format('Đạt: {}{}.',
                        CASE WHEN p.scored THEN format('{} xếp hạng {}, xếp loại "{}" ({} điểm)',
                             p.name, coalesce(CAST(p.rank AS VARCHAR), 'không xếp hạng'),
                             coalesce(p.klass, 'chưa xếp loại'), coalesce(vn_num(p.total_score), '?'))
                             ELSE p.name END,
                        CASE WHEN ps.quota_text IS NOT NULL
                             THEN '; trong hạn mức (' || ps.quota_text || ')' ELSE '' END)
       END AS reason,
       p.source_file, p.source_sheet, p.source_row, p.import_id,
       p.award_code, p.award_text, p.subject, p.source_kind, p.rank, p.klass AS classification,
       p.total_score, p.note
FROM p
LEFT JOIN failed f USING (pid)
LEFT JOIN over o USING (pid)
LEFT JOIN passed ps USING (pid)
ORDER BY p.year, p.cluster, p.award_code NULLS LAST, p.rank NULLS LAST, p.name;

-- Each unit's granted awards: a proposal with the decision that granted it.
CREATE OR REPLACE VIEW v_award_history AS
SELECT year, cluster, name AS unit, award, decision, achievement, source_file, import_id
FROM v_award_proposals
WHERE decision IS NOT NULL
ORDER BY unit, year DESC, award;

-- The campaign calendar: phases and themes loaded from kind-H workbooks, and those an
-- administrator entered on the Lịch thi đua page (calendar_entries).
CREATE TABLE IF NOT EXISTS calendar (
    import_id    INTEGER NOT NULL,
    scope        VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    cluster      VARCHAR,           -- NULL: the whole province
    phase        VARCHAR,
    theme        VARCHAR,
    start_date   DATE NOT NULL,
    end_date     DATE NOT NULL,
    note         VARCHAR,
    seq          INTEGER,
    source_file  VARCHAR,
    source_sheet VARCHAR,
    source_row   INTEGER
);

CREATE TABLE IF NOT EXISTS calendar_entries (
    entry_id   INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    cluster    VARCHAR,
    phase      VARCHAR,
    theme      VARCHAR,
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,
    note       VARCHAR,
    added_by   VARCHAR,
    added_at   TIMESTAMP
);

CREATE OR REPLACE VIEW v_calendar AS
SELECT r.year, r.cluster, r.phase, r.theme, r.start_date, r.end_date, r.note,
       'Tệp ' || r.source_file AS source, r.import_id, NULL::INTEGER AS entry_id
FROM calendar r
JOIN current_scopes c ON c.scope = r.scope AND c.import_id = r.import_id
UNION ALL
SELECT year, cluster, phase, theme, start_date, end_date, note,
       'Nhập tay bởi ' || coalesce(added_by, '?'), NULL, entry_id
FROM calendar_entries
ORDER BY year, start_date, end_date;
