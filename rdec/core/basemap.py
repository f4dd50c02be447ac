"""The basemap under every map (docs/maps.md): none by default (the maps draw the district and
village boundaries from the platform's own data and need no network), or a tile service set with
RDEC_BASEMAP_URL: `nlsc` for the national 臺灣通用電子地圖 (內政部國土測繪中心 WMTS), or any XYZ tile
template ({z}/{x}/{y}). Read once by the settings; the tile host is added to the CSP's img-src."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# 臺灣通用電子地圖 (EMAP) in the WMTS's GoogleMapsCompatible (EPSG:3857) tile matrix set. The
# service's capabilities (https://wmts.nlsc.gov.tw/wmts) give the ResourceURL template
# .../wmts/EMAP/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}, i.e. {z}/{y}/{x}.
NLSC_EMAP_URL = "https://wmts.nlsc.gov.tw/wmts/EMAP/default/GoogleMapsCompatible/{z}/{y}/{x}"
NLSC_ATTRIBUTION = "臺灣通用電子地圖 © 內政部國土測繪中心"
NLSC_MAX_ZOOM = 20


def config(url: str, attribution: str = "", max_zoom: str | int = "") -> dict | None:
    """The basemap setting from the environment's values; None when no basemap is set."""
    url = (url or "").strip()
    if not url or url.lower() in {"none", "off"}:
        return None
    if url.lower() == "nlsc":
        return {
            "url": NLSC_EMAP_URL,
            "attribution": attribution or NLSC_ATTRIBUTION,
            "max_zoom": int(max_zoom or NLSC_MAX_ZOOM),
        }
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or "{z}" not in url:
        raise ImproperlyConfigured(
            f"RDEC_BASEMAP_URL must be http(s) with {{z}}, {{x}}, {{y}} or 'nlsc', got {url!r}"
        )
    return {"url": url, "attribution": attribution, "max_zoom": int(max_zoom or 19)}


def origin(basemap: dict | None) -> str | None:
    """scheme://host[:port] of the tiles, for the Content-Security-Policy's img-src."""
    if not basemap:
        return None
    parts = urlsplit(basemap["url"])
    return f"{parts.scheme}://{parts.netloc}"
