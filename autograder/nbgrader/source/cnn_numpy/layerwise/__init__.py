"""layerwise: a Keras CNN assignment graded layer by layer, outside the student's process."""

__version__ = "0.1.0"
