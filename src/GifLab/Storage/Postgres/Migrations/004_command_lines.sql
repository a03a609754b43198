-- Schema v4: the exact command lines of a run (a JSON array of POSIX-quoted strings, one per engine call, in order), so
-- a stored row can be reproduced by hand. NULL for rows written before v4 and for runs that started no engine.
ALTER TABLE compression_runs ADD COLUMN IF NOT EXISTS command_lines TEXT;
