"""Input and output: the warehouse, the files the pipeline writes and dbt's profile. The planning
logic in `sop_pipeline.core` never touches a connection or a file; this package does."""
