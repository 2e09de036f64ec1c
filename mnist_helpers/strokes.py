"""The stroke-width augmentation of notebook 05's best model, as the package's copy.

Notebook 05 writes ``RandomStrokeWidth`` in full (it is part of the lesson); this copy exists so
that the shipped model file, which contains the layer, loads wherever the course does: notebook
06, the command line and ``load_course_model`` import this module before they read the file.
``tests/test_strokes.py`` fails if the notebook's class and this one differ.

Importing this module imports Keras (and starts TensorFlow), so the package imports it only when
it loads or builds a model.
"""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="mnist_helpers")
class RandomStrokeWidth(keras.layers.Layer):
    """Thickens or thins each digit's strokes by a random amount, as pens differ.

    A 3×3 maximum filter (max pooling with stride 1) is a dilation: every stroke grows by a pixel
    on each side. Its mirror, minus the maximum of minus the image, is an erosion: every stroke
    loses a pixel on each side. Each digit gets a random blend: ``amount`` between ``-thinner``
    and ``thicker``, where 1 is the full dilation, -1 the full erosion and 0 the digit untouched.
    Like Keras's own augmentation layers, it does nothing outside training.
    """

    def __init__(self, thicker=1.0, thinner=0.5, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.thicker, self.thinner, self.seed = thicker, thinner, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=True):
        if not training:
            return images
        wider = ops.max_pool(images, pool_size=3, strides=1, padding="same")
        narrower = -ops.max_pool(-images, pool_size=3, strides=1, padding="same")
        amount = keras.random.uniform(
            (ops.shape(images)[0], 1, 1, 1),
            minval=-self.thinner,
            maxval=self.thicker,
            seed=self.seed_generator,
        )
        target = ops.where(amount > 0, wider, narrower)
        return images + ops.abs(amount) * (target - images)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "thicker": self.thicker,
            "thinner": self.thinner,
            "seed": self.seed,
        }
