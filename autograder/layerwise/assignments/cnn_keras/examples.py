"""This lesson's example class: one notebook per known mistake, each made from the solved
notebook by one small, realistic edit, and correct notebooks written the ways students write
them (the seed's per-layer `predict`, `tf.keras`, Colab leftovers, an old nbformat 3 file...).
Build-time only: it quotes the solution, so it never ships and no submission can import it."""

from __future__ import annotations

from layerwise.examples_spec import Mutant, Style

T = "return np.transpose(np.asarray(W), (2, 3, 1, 0)).copy()"
D = "return int((conv_height // pool_size) * (conv_width // pool_size) * n_filters)"
P = 'layers.MaxPooling2D(pool_size=(2, 2), data_format="channels_first", name="max_pool_1")'
LO = "shown = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]"

MUTANTS: tuple[Mutant, ...] = (
    Mutant("reshape", T, "return np.asarray(W).reshape(W.shape[2], W.shape[3], W.shape[1], "
           "W.shape[0])", "kernel_layout", "reshape_instead_of_transpose"),
    Mutant("hw_swapped", T, "return np.transpose(np.asarray(W), (3, 2, 1, 0)).copy()",
           "kernel_layout", "kernel_hw_swapped"),
    Mutant("filter_channel_swapped", T, "return np.transpose(np.asarray(W), (2, 3, 0, 1)).copy()",
           "kernel_layout", "filter_channel_swapped"),
    Mutant("dense_precedence", D,
           "return int(conv_height // pool_size * conv_width // pool_size * n_filters)",
           "dense_size", "dense_precedence"),
    Mutant("dense_no_filters", D, "return int((conv_height // pool_size) * (conv_width // "
           "pool_size))", "dense_size", "dense_no_filters"),
    Mutant("dense_no_pooling", D, "return int(conv_height * conv_width * n_filters)",
           "dense_size", "dense_no_pooling"),
    Mutant("pool_channels_last", P, 'layers.MaxPooling2D(pool_size=(2, 2), name="max_pool_1")',
           "sequential_model", "pooling_channels_last"),
    Mutant("keras2_api", "return keras.Model(inputs=inputs, outputs=outputs)",
           "return keras.Model(input=inputs, output=outputs)", "functional_model", "keras2_api"),
    Mutant("bias_ignored", 'layers.Dense(1, use_bias=use_bias, name="dense_2")',
           'layers.Dense(1, name="dense_2")', "sequential_model", "bias_ignored"),
    Mutant("model_input", "inputs=model.inputs[0]", "inputs=model.input", "layer_outputs",
           "model_input_on_sequential"),
    Mutant("includes_input_layer", LO, "shown = list(model.layers)\n    if not isinstance("
           "model, keras.Sequential):\n        shown = [model.layers[0]] + shown[1:]",
           "layer_outputs", "includes_input_layer"),
    Mutant("layer_missing", LO, LO + "\n    shown = shown[:-1]", "layer_outputs",
           "layer_missing"),
    Mutant("renamed", "def channels_l2f(W):", "def channels_last_to_first(W):", "kernel_layout",
           "function_missing"),
    Mutant("param_no_channels", "conv = k_height * k_width * n_channels * n_filters",
           "conv = k_height * k_width * n_filters", "param_count", "param_channels"),
    Mutant("crash", "import numpy as np\n", "import numpy as np\nimport ctypes\n"
           "ctypes.string_at(0)  # segfault\n", None, None, "crashed"),
    # A loop that swallows the interrupt (KeyboardInterrupt): stopped for good, no grade.
    Mutant("hang", "import numpy as np\n", "import numpy as np\n"
           "while True:  # treina até alguém parar / trains until someone stops it\n"
           "    try:\n        while True:\n            pass\n"
           "    except KeyboardInterrupt:\n        print('continuando / continuing')\n",
           None, None, "timeout"),
    # A loop left in the last cell: interrupted like Jupyter's Interrupt, the answers graded.
    Mutant("stuck_cell", "# Atividade 4 / activity 4\n",
           "# Atividade 4 / activity 4\nwhile True:\n    pass\n", None, None, "graded"),
)


LO_SOLUTION = (
    "shown = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]\n"
    "    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in shown])\n"
    '    outputs = probe(np.asarray(X, dtype="float32"))\n'
    "    if len(shown) == 1:  # a one-output model returns a tensor, not a list\n"
    "        outputs = [outputs]\n"
    "    return {layer.name: keras.ops.convert_to_numpy(out) for layer, out in zip(shown, outputs)}")
PER_LAYER_PREDICT = """outputs = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        # como no notebook original: um modelo intermediário e um predict por camada
        intermediate_model = keras.Model(inputs=model.inputs, outputs=layer.output)
        outputs[layer.name] = intermediate_model.predict(X)
    return outputs"""
MULTI_OUTPUT_PREDICT = """names = [l.name for l in model.layers if not isinstance(l, keras.layers.InputLayer)]
    probe = keras.Model(model.inputs, [model.get_layer(n).output for n in names])
    values = probe.predict(X, verbose=0)
    if len(names) == 1:
        values = [values]
    return dict(zip(names, values))"""
PRINTING = """result = {}
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        sub = keras.Model(model.inputs, layer.output)
        result[layer.name] = sub.predict(X)
        print(layer.name, result[layer.name].shape)
        print(result[layer.name])
    model.summary()
    return result"""
IMPORTS = "with sem_avisos_de_inicio():\n    import keras\n    from keras import layers\n"
SEQUENTIAL = "return keras.Sequential(["
FUNCTIONAL = "return keras.Model(inputs=inputs, outputs=outputs)"
PLOTS = """# Atividade 3 / activity 3
import matplotlib.pyplot as plt

for name, out in layer_outputs(model, X).items():
    plt.figure(figsize=(3, 3))
    plt.imshow(out[0, 0] if out.ndim == 4 else out, cmap="gray")
    plt.title(name)
    plt.show()
"""

STYLES: tuple[Style, ...] = (
    Style("correct_predict_per_layer", ((LO_SOLUTION, PER_LAYER_PREDICT),)),
    Style("correct_multi_output_predict", ((LO_SOLUTION, MULTI_OUTPUT_PREDICT),)),
    Style("correct_tf_keras", (
        (IMPORTS, "import tensorflow as tf\nfrom tensorflow import keras\n"
                  "from tensorflow.keras import layers\n"),
        (SEQUENTIAL, "return tf.keras.Sequential(["),
        (FUNCTIONAL, "return tf.keras.models.Model(inputs=inputs, outputs=outputs)"),
        (LO_SOLUTION, PER_LAYER_PREDICT.replace("keras.", "tf.keras.")))),
    Style("correct_prints_everything", (
        (LO_SOLUTION, PRINTING),
        (SEQUENTIAL, "model = keras.Sequential(["),
        ("    ])\n    # END SOLUTION", "    ])\n    model.summary()\n    print(model.layers)\n"
                                     "    return model\n    # END SOLUTION"))),
    Style("correct_colab", ((LO_SOLUTION, PER_LAYER_PREDICT),
                            ("# Atividade 3 / activity 3\n", PLOTS)),
          cells_before=("!pip install -q otter-grader", "%matplotlib inline",
                        "from google.colab import drive\ndrive.mount('/content/drive')",
                        "!nvidia-smi\n!ls -la /content"),
          metadata=(("colab", {"provenance": [], "toc_visible": True}),
                    ("accelerator", "GPU"))),
    Style("correct_nbformat3", nbformat=3),
)
"""Correct notebooks the ways students write them (the English edition is full_marks_en)."""
