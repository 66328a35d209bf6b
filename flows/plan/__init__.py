"""Before the batches: which input files are new, changed, unchanged or gone (the manifest),
and whether there is anything to do at all."""
