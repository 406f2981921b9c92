-- The loads behind a slide: their files and when they were loaded (a slide's footnote).
SELECT import_id, file_name, loaded_at, loaded_by
FROM v_imports
WHERE list_contains($import_ids, import_id)
ORDER BY import_id
