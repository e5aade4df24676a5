#!/usr/bin/env python3
"""Writes real datasets shipped with scikit-learn as files gdchaos reads (README, "A range of tasks").

    apt-get install -y python3-sklearn python3-numpy      # Debian/Ubuntu; or pip install scikit-learn
    python3 tests/data/make_sklearn_fixtures.py DIR [--formats]

Into DIR:
  digits_x.npy, digits_y.npy   8x8 handwritten digits: 1797 x 64 float64 pixels 0..16, int64 labels 0..9
  digits_images.npz            the same as x (1797, 8, 8, 1) uint8 and y: images for --arch
  iris.csv                     150 x 4 features, header row, label column 'species' (0..2)
  wine.npz                     x (178, 13) float64, y (178,) int64 labels 0..2
  breast_cancer.csv            569 x 30 features, label column 'malignant' (0 = malignant, 1 = benign, sklearn's coding)
  diabetes_x.npy, diabetes_y.npy   442 x 10 float64 features, float64 targets (disease progression),
                               standardised to mean 0, std 1 (so MSE is on the scale of the targets' spread)

Every set is shuffled once with a fixed seed (numpy RandomState(0)), so that a prefix split (gdchaos takes
the first samples for training, the next for testing) holds every class: sklearn ships iris and wine sorted
by class. No pickles: arrays go through np.save/np.savez (allow_pickle is never needed to read them).

--formats also writes formats/: the digits features as big-endian float32, Fortran order, int16, gzip-less
uncompressed and compressed npz, for the reader's tests against files NumPy itself wrote.
"""
import os
import sys

import numpy as np
from sklearn import datasets


def shuffled(x, y, seed=0):
    p = np.random.RandomState(seed).permutation(len(y))
    return x[p], y[p]


def write_csv(path, header, x, y, yname, yfmt):
    with open(path, "w") as f:
        f.write(",".join(header + [yname]) + "\n")
        for row, t in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + "," + (yfmt % t) + "\n")


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)

    d = datasets.load_digits()
    x, y = shuffled(d.data.astype(np.float64), d.target.astype(np.int64))
    np.save(os.path.join(out, "digits_x.npy"), x)
    np.save(os.path.join(out, "digits_y.npy"), y)
    np.savez_compressed(os.path.join(out, "digits_images.npz"), x=x.reshape(-1, 8, 8, 1).astype(np.uint8), y=y)

    d = datasets.load_iris()
    x, y = shuffled(d.data, d.target)
    write_csv(os.path.join(out, "iris.csv"), ["sepal_length", "sepal_width", "petal_length", "petal_width"],
              x, y, "species", "%d")

    d = datasets.load_wine()
    x, y = shuffled(d.data, d.target.astype(np.int64))
    np.savez(os.path.join(out, "wine.npz"), x=x, y=y)

    d = datasets.load_breast_cancer()
    x, y = shuffled(d.data, d.target)
    header = [n.replace(" ", "_") for n in d.feature_names]
    write_csv(os.path.join(out, "breast_cancer.csv"), header, x, y, "malignant", "%d")

    d = datasets.load_diabetes(scaled=False) if "scaled" in datasets.load_diabetes.__code__.co_varnames \
        else datasets.load_diabetes()
    x, y = shuffled(d.data.astype(np.float64), d.target.astype(np.float64))
    y = (y - y.mean()) / y.std()
    np.save(os.path.join(out, "diabetes_x.npy"), x)
    np.save(os.path.join(out, "diabetes_y.npy"), y)

    if "--formats" in argv:
        f = os.path.join(out, "formats")
        os.makedirs(f, exist_ok=True)
        x = np.load(os.path.join(out, "digits_x.npy"))
        y = np.load(os.path.join(out, "digits_y.npy"))
        np.save(os.path.join(f, "x_f4_big.npy"), x.astype(">f4"))
        np.save(os.path.join(f, "x_fortran.npy"), np.asfortranarray(x))
        np.save(os.path.join(f, "x_i2.npy"), x.astype("<i2"))
        np.save(os.path.join(f, "y_u1.npy"), y.astype(np.uint8))
        np.savez(os.path.join(f, "stored.npz"), x=x, y=y)
        np.savez_compressed(os.path.join(f, "deflated.npz"), features=x, labels=y)
    print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
