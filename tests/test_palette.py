"""Issue 20, point 5: the event colours stay apart, also for colour-blind readers.

Each colour is seen as a reader with protanopia, deuteranopia or tritanopia
would see it (Machado, Oliveira and Fernandes 2009, severity 1.0, applied in
linear RGB), then compared in CIELAB (CIE76 distance; about 2.3 is a just
noticeable difference, 10 a clear one).
"""

from __future__ import annotations

import numpy as np
import pytest

from geo import taxonomy

VISION = {
    "typical": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = _XYZ @ np.clip(linear_rgb, 0, 1) / _WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a: str, b: str, vision: str) -> float:
    m = VISION[vision]
    return float(np.linalg.norm(_lab(m @ _linear(a)) - _lab(m @ _linear(b))))


def test_the_simulation_sees_red_and_green_alike_without_red_cones():
    # a check on the check: pure red and green are far apart, less so for a protanope
    assert distance("#ff0000", "#00ff00", "typical") > 100
    assert distance("#ff0000", "#00ff00", "protanopia") < 0.7 * distance("#ff0000", "#00ff00", "typical")


@pytest.mark.parametrize("vision", sorted(VISION))
def test_strike_and_encirclement_are_far_apart(vision):
    strike, encirclement = taxonomy.get("strike").colour, taxonomy.get("encirclement").colour
    assert distance(strike, encirclement, vision) >= 40


@pytest.mark.parametrize("vision", sorted(VISION))
def test_encirclement_stands_apart_from_every_other_type(vision):
    mine = taxonomy.get("encirclement").colour
    nearest = min(distance(mine, t.colour, vision) for t in taxonomy.EVENT_TYPES.values() if t.key != "encirclement")
    assert nearest >= 15
