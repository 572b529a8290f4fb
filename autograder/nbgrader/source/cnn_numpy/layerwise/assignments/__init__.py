"""The kit's own lessons, each an assignment package registered in `layerwise.assignments`."""
