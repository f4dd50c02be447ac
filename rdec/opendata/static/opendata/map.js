// Maps of a resource's places (latitude/longitude columns), drawn with Leaflet over the district
// boundaries from the platform's API: no tile server is needed.
// Labels go into Leaflet as text nodes, never as HTML: they can come from users (a CSV's cells).
const asText = (value) => {
  const span = document.createElement("span");
  span.textContent = String(value);
  return span;
};
document.querySelectorAll(".od-map").forEach((el) => {
  if (!window.L) return;
  const points = JSON.parse(document.getElementById(el.dataset.points).textContent);
  const map = L.map(el, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("內政部 鄉鎮市區界線 (OGDL-1.0)");
  const layer = L.featureGroup(
    points.map((p) => {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 5, color: "#8a2b0b", weight: 1, fillOpacity: 0.7 });
      if (p.label) marker.bindTooltip(asText(p.label));
      return marker;
    }),
  ).addTo(map);
  map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 15 });
  fetch(el.dataset.boundaries)
    .then((r) => r.json())
    .then((data) => {
      L.geoJSON(data, { style: { color: "#083d5e", weight: 1, fillColor: "#0b5a8a", fillOpacity: 0.08 }, interactive: false })
        .addTo(map)
        .bringToBack();
    });
});
