// The district map: boundaries from the public API drawn with Leaflet (no tile server needed),
// and the resolver form filled by a click on the map.
// Labels go into Leaflet as text nodes, never as HTML: they can come from users (a CSV's cells).
const asText = (value) => {
  const span = document.createElement("span");
  span.textContent = String(value);
  return span;
};
const el = document.getElementById("map");
if (el && window.L) {
  const map = L.map(el, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("內政部 鄉鎮市區界線 (OGDL-1.0)");
  fetch(el.dataset.boundaries)
    .then((r) => r.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        style: { color: "#083d5e", weight: 1, fillColor: "#0b5a8a", fillOpacity: 0.12 },
        onEachFeature: (f, l) => l.bindTooltip(asText(f.properties.name)),
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    });
  map.on("click", (e) => {
    document.getElementById("lat").value = e.latlng.lat.toFixed(6);
    document.getElementById("lon").value = e.latlng.lng.toFixed(6);
    document.getElementById("resolve-form").requestSubmit();
  });
}
