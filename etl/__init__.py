"""ETL for the job-market dashboard: sources -> validated, atomically written Parquet."""
