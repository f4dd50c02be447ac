// The citizen form's map: district boundaries from the public API (Leaflet, no tile server);
// a click sets latitude/longitude and selects the district of that point.
// Labels go into Leaflet as text nodes, never as HTML: they can come from users (a CSV's cells).
const asText = (value) => {
  const span = document.createElement("span");
  span.textContent = String(value);
  return span;
};
const el = document.getElementById("case-map");
if (el && window.L) {
  const lat = document.getElementById("id_lat");
  const lon = document.getElementById("id_lon");
  const district = document.getElementById("id_district");
  const status = document.getElementById("map-status");
  const map = L.map(el, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("內政部 鄉鎮市區界線 (OGDL-1.0)");
  map.setView([24.16, 120.68], 10);
  let marker = null;
  const place = (latlng) => {
    if (marker) marker.setLatLng(latlng);
    else marker = L.marker(latlng).addTo(map);
  };
  fetch(el.dataset.boundaries)
    .then((r) => r.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        style: { color: "#083d5e", weight: 1, fillColor: "#0b5a8a", fillOpacity: 0.1 },
        onEachFeature: (f, l) => l.bindTooltip(asText(f.properties.name)),
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      if (lat.value && lon.value) place([+lat.value, +lon.value]);
    });
  map.on("click", (e) => {
    lat.value = e.latlng.lat.toFixed(6);
    lon.value = e.latlng.lng.toFixed(6);
    place(e.latlng);
    fetch(`${el.dataset.resolve}?lat=${lat.value}&lon=${lon.value}`)
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (data && data.district) {
          district.value = data.district.code;
          if (status) status.textContent = data.district.name + (data.village ? " " + data.village.name : "");
        }
      });
  });
}

// Two-level category: the group narrows the list of categories.
const group = document.getElementById("id_category_group");
const category = document.getElementById("id_category");
if (group && category) {
  const filter = () => {
    const label = group.value ? group.options[group.selectedIndex].text : "";
    for (const og of category.querySelectorAll("optgroup")) {
      const show = !label || og.label === label;
      og.hidden = !show;
      og.disabled = !show;
    }
    const chosen = category.options[category.selectedIndex];
    if (chosen && chosen.parentElement.disabled) category.value = "";
  };
  group.addEventListener("change", filter);
  category.addEventListener("change", () => {
    const og = category.options[category.selectedIndex]?.parentElement;
    if (og && og.tagName === "OPTGROUP" && !group.value) {
      for (const opt of group.options) if (opt.text === og.label) group.value = opt.value;
    }
  });
  filter();
}
