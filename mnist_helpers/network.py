"""Notebook 05's best CNN and its stroke-width layer, as the package ships them.

GENERATED from notebook 05's code cells by ``python scripts/sync_network.py``: do not edit this
file. Change the notebook, then run the script (a test fails while the two differ).

The shipped model file holds ``RandomStrokeWidth``, which Keras rebuilds only once its class is
registered, so ``load_course_model`` imports this module first (outside the course, do the same
before ``keras.models.load_model``); ``best_cnn`` builds the same network in code, for a Keras too
old to rebuild the file from its config. Importing this module imports Keras.
"""

import keras
from keras import layers, ops


@keras.saving.register_keras_serializable(package="mnist_helpers")
class RandomStrokeWidth(keras.layers.Layer):
    """Thickens (up to a 3×3 dilation) or thins (up to half an erosion) each digit's strokes."""

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


def augmentation():
    """The tutorial's ImageDataGenerator settings as Keras 3 preprocessing layers."""
    return keras.Sequential(
        [
            layers.RandomRotation(10 / 360, fill_mode="constant"),
            layers.RandomZoom(0.1, fill_mode="constant"),
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
        ],
        name="augmentation",
    )


def conv_bn(filters):
    """3×3 convolution → batch norm → ReLU: the best model's building block."""
    return [
        layers.Conv2D(filters, (3, 3), use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
    ]


def best_cnn():
    """The course's best model: augmentation, two double-convolution blocks, batch norm, dropout."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            RandomStrokeWidth(),
            augmentation(),
            *conv_bn(32),
            *conv_bn(32),
            layers.MaxPooling2D(),
            layers.Dropout(0.25),
            *conv_bn(64),
            *conv_bn(64),
            layers.MaxPooling2D(),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(128, use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Dropout(0.3),
            layers.Dense(10, activation="softmax"),
        ],
        name="best_cnn",
    )
