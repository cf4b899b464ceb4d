-- Organisations that do not take part in the benchmark: their answers are in no other
-- organisation's benchmark (report::benchmark). No row = taking part.
CREATE TABLE qs_benchmark_opt_out (
    org_id TEXT PRIMARY KEY REFERENCES qs_org(org_id)
) WITHOUT ROWID;
