-- GifLab SQLite schema v1: the seed's six tables (data-model.seed.md) plus documented extra columns.
CREATE TABLE IF NOT EXISTS tools (
    id INTEGER PRIMARY KEY,
    name TEXT UNIQUE NOT NULL,
    category TEXT NOT NULL,
    engine TEXT,
    description TEXT,
    -- extras
    family TEXT,
    available INTEGER,
    binary_path TEXT,
    version TEXT,
    unavailable_reason TEXT,
    probed_at TEXT
);

CREATE TABLE IF NOT EXISTS pipelines (
    id INTEGER PRIMARY KEY,
    identifier TEXT UNIQUE NOT NULL,
    frame_tool_id INTEGER REFERENCES tools(id),
    color_tool_id INTEGER REFERENCES tools(id),
    lossy_tool_id INTEGER REFERENCES tools(id)
);

CREATE TABLE IF NOT EXISTS param_presets (
    id INTEGER PRIMARY KEY,
    lossy_level INTEGER,
    color_count INTEGER,
    frame_ratio REAL,
    UNIQUE(lossy_level, color_count, frame_ratio)
);

CREATE TABLE IF NOT EXISTS gifs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT UNIQUE NOT NULL,
    file_name TEXT NOT NULL,
    file_path TEXT,
    file_size_bytes INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    frame_count INTEGER,
    features_json TEXT,
    feature_version TEXT,
    processed_at TIMESTAMP,
    -- extras
    duration_ms INTEGER,
    loop_count INTEGER,
    decode_status TEXT,          -- 'ok' or 'error' (then see failures)
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS compression_runs (
    id INTEGER PRIMARY KEY,
    gif_id INTEGER REFERENCES gifs(id),
    pipeline_id INTEGER REFERENCES pipelines(id),
    param_preset_id INTEGER REFERENCES param_presets(id),
    output_size_bytes INTEGER,
    compression_ratio REAL,
    metrics_json TEXT,
    validation_status TEXT,      -- 'valid', 'corrupted', 'error'
    duration_ms INTEGER,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    -- extras
    metric_set_version INTEGER,
    validation_json TEXT,        -- checks made on the output (frame count, dimensions, colours, duration, loop)
    engine_cpu_ms REAL,          -- CPU time of the external processes
    tool_versions TEXT,          -- JSON: tool name -> probed version
    giflab_version TEXT,
    UNIQUE(gif_id, pipeline_id, param_preset_id)
);

CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    gif_id INTEGER REFERENCES gifs(id),
    pipeline_id INTEGER REFERENCES pipelines(id),
    param_preset_id INTEGER REFERENCES param_presets(id),
    error_type TEXT,
    error_message TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    -- extras
    file_path TEXT,              -- for files that never became a gifs row (not a GIF, unreadable)
    permanent INTEGER NOT NULL DEFAULT 1,   -- 1 = deterministic (not retried without --retry-failed), 0 = transient (retried)
    command_line TEXT
);

CREATE INDEX IF NOT EXISTS ix_runs_pipeline ON compression_runs(pipeline_id);
CREATE INDEX IF NOT EXISTS ix_runs_preset ON compression_runs(param_preset_id);
CREATE INDEX IF NOT EXISTS ix_failures_key ON failures(gif_id, pipeline_id, param_preset_id);
CREATE INDEX IF NOT EXISTS ix_failures_path ON failures(file_path);
