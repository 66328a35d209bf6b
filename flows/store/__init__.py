"""Where the data lives between runs: the input folder as the run sees it, the Parquet parts
and the snapshots that list them, big inputs read in pieces, and the checks that verify
and repair all of it."""
