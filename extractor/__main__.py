"""``python -m extractor``: the same entry point as the ``policy-rules`` script."""

from extractor.cli import main

main()
