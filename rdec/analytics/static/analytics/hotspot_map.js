// The hotspot map: district boundaries (the shared map, core/maps.js) coloured by the highest hotspot
// score of the week chosen with the slider; the list below comes from the server (htmx) with the same week.
// Labels go into Leaflet as text nodes, never as HTML: they can come from users (a CSV's cells).
import { asText, createMap } from "../core/maps.js";

const el = document.getElementById("map");
const slider = document.getElementById("week-slider");
let layer = null;
let markers = null;

function scores() {
  const data = document.getElementById("district-scores");
  return data ? JSON.parse(data.textContent) : {};
}

function colour(score) {
  if (!score) return { fillColor: "#0b5a8a", fillOpacity: 0.05 };
  if (score >= 6) return { fillColor: "#a4161a", fillOpacity: 0.6 };
  if (score >= 3) return { fillColor: "#d9480f", fillOpacity: 0.5 };
  return { fillColor: "#f59f00", fillOpacity: 0.45 };
}

function places() {
  const data = document.getElementById("place-markers");
  return data ? JSON.parse(data.textContent) : [];
}

function paint() {
  if (!layer) return;
  if (markers) markers.clearLayers();
  for (const p of places()) {
    L.circleMarker([p.lat, p.lon], {
      radius: Math.min(18, 4 + Math.sqrt(p.count) * 2), color: "#5f0f40", weight: 1, fillColor: "#9a031e", fillOpacity: 0.8,
    }).bindTooltip(asText(p.label)).addTo(markers);
  }
  const byDistrict = scores();
  layer.eachLayer((l) => {
    const score = byDistrict[l.feature.properties.code];
    l.setStyle({ color: "#083d5e", weight: 1, ...colour(score) });
    l.setTooltipContent(asText(score ? `${l.feature.properties.name} ${score}` : l.feature.properties.name));
  });
}

if (el && window.L) {
  const { map, ready } = createMap(el, {
    districts: { style: undefined, onEachFeature: (f, l) => l.bindTooltip(asText(f.properties.name)) },
  });
  ready.then((districts) => {
    layer = districts;
    markers = L.layerGroup().addTo(map);
    paint();
  });
}

if (slider) {
  const weeks = slider.dataset.weeks.split(",");
  const labels = slider.dataset.labels.split(",");
  slider.addEventListener("input", () => {
    const i = Number(slider.value);
    document.getElementById("week-value").value = weeks[i];
    document.getElementById("week-label").textContent = labels[i];
    slider.setAttribute("aria-valuetext", labels[i]);
  });
}

document.body.addEventListener("htmx:afterSwap", (e) => {
  if (e.detail.target && e.detail.target.id === "hotspot-week") paint();
  if (document.getElementById("hotspot-week")) paint();
});
