import math
import random

import pytest

from entraide.directory.domain import geo


def test_distance_between_nantes_and_paris_is_about_343_km():
    assert geo.distance_km(47.2172, -1.5534, 48.8534, 2.3488) == pytest.approx(343, abs=3)


@pytest.mark.parametrize("radius_km", [1, 5, 15, 30, 60])
def test_the_cells_within_reach_hold_every_point_inside_the_radius(radius_km):
    rng = random.Random(radius_km)
    for _ in range(40):  # centres across metropolitan France
        lat, lon = rng.uniform(42.5, 51), rng.uniform(-4.5, 7.5)
        cells = set(geo.cells_within(lat, lon, radius_km))
        for _ in range(50):  # points inside the radius, many near its edge
            bearing, d = rng.uniform(0, 2 * math.pi), radius_km * math.sqrt(rng.uniform(0.5, 1))
            plat = lat + d / 111.2 * math.cos(bearing)
            plon = lon + d / (111.2 * math.cos(math.radians(lat))) * math.sin(bearing)
            if geo.distance_km(lat, lon, plat, plon) <= radius_km:
                assert geo.cell_of(plat, plon) in cells


def test_a_small_radius_reads_few_cells():
    assert len(geo.cells_within(47.2, -1.55, 15)) <= 12  # not the 37 of a plain grid disk
