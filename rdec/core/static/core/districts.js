// The district map (core/maps.js: boundaries, village names when zoomed in, the basemap when one is
// configured); a click fills the resolver form and asks it (htmx) for the district and village.
import { createMap } from "./maps.js";

const el = document.getElementById("map");
if (el && window.L) {
  const { map } = createMap(el);
  map.on("click", (e) => {
    document.getElementById("lat").value = e.latlng.lat.toFixed(6);
    document.getElementById("lon").value = e.latlng.lng.toFixed(6);
    document.getElementById("resolve-form").requestSubmit();
  });
}
