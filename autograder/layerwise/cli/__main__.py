"""`python -m layerwise.cli`: the same as the `layerwise` console script."""

from layerwise.cli import main

main()
