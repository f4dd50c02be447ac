"""Point → district and village, on the loaded boundaries (shapely, STR-tree index, kept per process).

`resolve(lat, lon)` answers the district and village that contain the point, or None outside the
city. The index is rebuilt when the boundaries are reloaded (`invalidate()`), in every process
within RECHECK_SECONDS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

VERSION_KEY = "rdec:boundaries:version"
RECHECK_SECONDS = 30


@dataclass(frozen=True)
class Place:
    district_id: int
    district_code: str
    district_name: str
    village_id: int | None
    village_code: str | None
    village_name: str | None


class _Index:
    def __init__(self):
        from rdec.core.models import District, Village

        self.districts = list(District.objects.values("id", "code", "name", "geometry"))
        self.villages = list(Village.objects.values("id", "code", "name", "district_id", "geometry"))
        self.d_shapes = [shape(d["geometry"]) for d in self.districts]
        self.v_shapes = [shape(v["geometry"]) for v in self.villages]
        self.d_prepared = [prep(s) for s in self.d_shapes]
        self.v_prepared = [prep(s) for s in self.v_shapes]
        self.d_tree = STRtree(self.d_shapes)
        self.v_tree = STRtree(self.v_shapes)

    def resolve(self, lat: float, lon: float) -> Place | None:
        pt = Point(lon, lat)
        district = next(
            (self.districts[i] for i in self.d_tree.query(pt) if self.d_prepared[i].covers(pt)), None
        )
        if district is None:
            return None
        village = next(
            (
                self.villages[i]
                for i in self.v_tree.query(pt)
                if self.villages[i]["district_id"] == district["id"] and self.v_prepared[i].covers(pt)
            ),
            None,
        )
        return Place(
            district["id"],
            district["code"],
            district["name"],
            village["id"] if village else None,
            village["code"] if village else None,
            village["name"] if village else None,
        )


_index: _Index | None = None
_version = None
_checked_at = 0.0


def invalidate() -> None:
    global _index, _checked_at
    cache.set(VERSION_KEY, str(time.time_ns()), None)
    _index, _checked_at = None, 0.0


def _get() -> _Index:
    global _index, _version, _checked_at
    now = time.monotonic()
    if _index is None or now - _checked_at > RECHECK_SECONDS:
        version = cache.get(VERSION_KEY)
        if _index is None or version != _version:
            _index, _version = _Index(), version
        _checked_at = now
    return _index


def resolve(lat: float, lon: float) -> Place | None:
    """The district and village containing (lat, lon) in WGS84, or None."""
    return _get().resolve(lat, lon)
