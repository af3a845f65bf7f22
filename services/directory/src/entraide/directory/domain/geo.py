"""Distances and H3 cells: a geographic index that needs none from the store (no 2dsphere).

An offer's search card is stored in the collection of its H3 cell (resolution 5, about
250 km²); a search reads the cells within reach of the radius, then keeps the cards whose
exact distance fits. Pure computation, no I/O.
"""

import math

import h3

RESOLUTION = 5
EARTH_RADIUS_KM = 6371.0088
_EDGE_KM = h3.average_hexagon_edge_length(RESOLUTION, unit="km")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def cell_of(lat: float, lon: float) -> str:
    return str(h3.latlng_to_cell(lat, lon, RESOLUTION))


def cells_within(lat: float, lon: float, radius_km: float) -> list[str]:
    """Every cell that may hold a point within `radius_km` of (lat, lon), and no other.

    The candidates are a generous grid disk; a cell is kept when the circle reaches its
    circumscribed circle (its centre's distance less its farthest vertex's)."""
    # Ring k's centres lie at least about 1.5·k·edge away; 30% spare for smaller cells.
    k = math.ceil((radius_km + 2 * _EDGE_KM) / (1.5 * _EDGE_KM * 0.7))
    kept = []
    for cell in h3.grid_disk(h3.latlng_to_cell(lat, lon, RESOLUTION), k):
        clat, clon = h3.cell_to_latlng(cell)
        reach = max(distance_km(clat, clon, vlat, vlon) for vlat, vlon in h3.cell_to_boundary(cell))
        if distance_km(lat, lon, clat, clon) - reach <= radius_km:
            kept.append(str(cell))
    return sorted(kept)
