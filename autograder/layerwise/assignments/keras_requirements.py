"""What the kit's two lessons need besides the engine: their students' notebooks import
TensorFlow and Keras (and Pillow); the otter grader's Linux image takes the CPU wheel."""

from __future__ import annotations

STUDENT: tuple[str, ...] = ("tensorflow>=2.21,<2.22", "keras>=3.10,<4", "numpy", "pillow")
GRADER: tuple[str, ...] = ("tensorflow-cpu==2.21.*", "keras>=3.10,<4", "numpy", "pillow")
