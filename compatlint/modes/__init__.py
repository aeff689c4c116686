"""The modes that decide what to compare: two folders (`directories`), two git revisions or a revision and
the index (`git_revisions`). Each reads its sources and hands them to `compatlint.pipeline.check`."""
