"""The environment TensorFlow runs the lesson's networks in: set before TensorFlow is imported.

`channels_first` Conv2D and MaxPooling2D run on a CPU only through oneDNN. TensorFlow turns
oneDNN on by default only on some CPUs (seen: on, on an Intel Xeon; off, on an AMD EPYC, where
every `channels_first` convolution then fails with "The Conv2D op currently only supports the
NHWC tensor format on the CPU"), so the kit turns it on everywhere it runs TensorFlow: the
grading workers, the kernels `layerwise build` starts, and the lesson's own import cell.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

TF_ENV: dict[str, str] = {
    "TF_ENABLE_ONEDNN_OPTS": "1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}
"""Variables every process of the kit that imports TensorFlow gets."""


def apply(environ: MutableMapping[str, str] | None = None) -> MutableMapping[str, str]:
    """Put TF_ENV into `environ` (default: this process's environment); returns it."""
    target = os.environ if environ is None else environ
    target.update(TF_ENV)
    return target
