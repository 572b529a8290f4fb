"""`layerwise grade`: grade a class against the reference solution, outside students' processes."""
