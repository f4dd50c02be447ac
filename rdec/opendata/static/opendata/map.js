// Maps of a resource's places (latitude/longitude columns): the shared map (core/maps.js) with the
// district outlines behind the points, fitted to the points.
// Labels go into Leaflet as text nodes, never as HTML: they can come from users (a CSV's cells).
import { asText, createMap } from "../core/maps.js";

document.querySelectorAll(".od-map").forEach((el) => {
  if (!window.L) return;
  const points = JSON.parse(document.getElementById(el.dataset.points).textContent);
  const { map, ready } = createMap(el, {
    fit: false,
    districts: { style: { color: "#083d5e", weight: 1, fillColor: "#0b5a8a", fillOpacity: 0.08 }, interactive: false, onEachFeature: null },
  });
  const layer = L.featureGroup(
    points.map((p) => {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 5, color: "#8a2b0b", weight: 1, fillOpacity: 0.7 });
      if (p.label) marker.bindTooltip(asText(p.label));
      return marker;
    }),
  ).addTo(map);
  map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 15 });
  ready.then((districts) => districts.bringToBack());
});
