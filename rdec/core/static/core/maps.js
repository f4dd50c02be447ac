// The one map setup of the platform: every map (districts, petition form, 1999 console, open data,
// hotspots) is made here. Leaflet over the district boundaries from the public API; the village
// boundaries with their names once zoomed in; under them the basemap when one is configured
// (settings.RDEC_BASEMAP, through the element's data-basemap: none offline, the national
// 臺灣通用電子地圖 in production). And the place picker: a pin, the district and village it falls in,
// a warning when the typed address names another district. See docs/maps.md.
// Labels go into Leaflet as text nodes, never as HTML: they can come from users (a CSV's cells).

export const asText = (value) => {
  const span = document.createElement("span");
  span.textContent = String(value);
  return span;
};

// Leaflet writes attributions as HTML: the configured wording goes in escaped.
const escapeText = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const BOUNDARY_ATTRIBUTION = "內政部 鄉鎮市區界線 (OGDL-1.0)";
export const VILLAGE_ZOOM = 13;
export const CITY_CENTRE = [24.16, 120.68];
const DISTRICT_STYLE = { color: "#083d5e", weight: 1, fillColor: "#0b5a8a", fillOpacity: 0.1 };
const VILLAGE_STYLE = { color: "#3d4f5c", weight: 1, dashArray: "4 3", fill: false };

function settingsOf(el) {
  try {
    return el.dataset.basemap ? JSON.parse(el.dataset.basemap) : {};
  } catch {
    return {};
  }
}

// The village outlines and names, loaded once the map is first zoomed in to VILLAGE_ZOOM; the names
// are drawn for the villages in view only.
function showVillages(map, url) {
  let data = null;
  let loading = null;
  const outlines = L.layerGroup();
  const labels = L.layerGroup();
  const update = () => {
    if (map.getZoom() < VILLAGE_ZOOM) {
      outlines.remove();
      labels.remove();
      return;
    }
    if (!data) {
      loading =
        loading ||
        fetch(url)
          .then((r) => r.json())
          .then((d) => {
            data = d;
            L.geoJSON(d, { style: VILLAGE_STYLE, interactive: false, className: "map-village" }).addTo(outlines);
            update();
          });
      return;
    }
    if (!map.hasLayer(outlines)) outlines.addTo(map);
    labels.clearLayers();
    const bounds = map.getBounds();
    for (const f of data.features) {
      const at = f.properties.label;
      if (!at || !bounds.contains(at)) continue;
      const label = L.tooltip({ permanent: true, direction: "center", className: "village-label", interactive: false });
      label.setLatLng(at);
      label.setContent(asText(f.properties.name));
      labels.addLayer(label);
    }
    if (!map.hasLayer(labels)) labels.addTo(map);
  };
  map.on("zoomend moveend", update);
  map.whenReady(update);
}

// A map on `el` (which carries {% map_attrs %}). `districts`: options for the district layer
// (style, onEachFeature, interactive); `fit`: fit the city's bounds once the districts are drawn.
// Returns { map, ready } where `ready` resolves to the district layer.
export function createMap(el, { districts = {}, fit = true, villages = true } = {}) {
  const basemap = settingsOf(el);
  const maxZoom = basemap.max_zoom || 18;
  const map = L.map(el, { attributionControl: true, zoomControl: false, zoomSnap: 0.25, maxZoom });
  // the zoom buttons' titles in the page's language (base.html's #rdec-strings), not Leaflet's English
  const words = document.getElementById("rdec-strings")?.dataset ?? {};
  L.control.zoom({ zoomInTitle: words.zoomIn || "+", zoomOutTitle: words.zoomOut || "−" }).addTo(map);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(BOUNDARY_ATTRIBUTION);
  let style = DISTRICT_STYLE;
  if (basemap.url) {
    L.tileLayer(basemap.url, {
      attribution: escapeText(basemap.attribution || ""),
      maxZoom,
      className: "rdec-basemap",
    }).addTo(map);
    el.classList.add("has-basemap");
    style = { ...DISTRICT_STYLE, fillOpacity: 0.03, weight: 2 };
  }
  map.setView(CITY_CENTRE, 10);
  const ready = fetch(el.dataset.boundaries)
    .then((r) => r.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        className: "map-district",
        style,
        onEachFeature: (f, l) => l.bindTooltip(asText(f.properties.name)),
        ...districts,
      }).addTo(map);
      if (fit) map.fitBounds(layer.getBounds());
      return layer;
    });
  if (villages && el.dataset.villages) showVillages(map, el.dataset.villages);
  return { map, ready };
}

// The place picker. `root` holds the messages (data-msg-place, -outside, -mismatch-pin,
// -mismatch-district, -not-found, with {place} and {address}); `fields`: the inputs (lat, lon,
// district select, address), the status and warning elements (role=status), the "place the pin
// from the address" button. A click on the map, coordinates typed in, or the button places the pin;
// the district and village under it are shown (the resolver API) and the district select follows.
export function placePicker(root, mapEl, map, ready, fields) {
  const { lat, lon, district, address, status, warning, locate } = fields;
  const msg = (name, values = {}) =>
    Object.entries(values).reduce((text, [k, v]) => text.split(`{${k}}`).join(v), root.dataset[name] || "");
  let marker = null;
  let pinDistrict = null;
  let named = [];
  let located = null;

  const check = () => {
    if (!warning) return;
    let where = pinDistrict;
    if (!where && district && district.value) {
      where = { code: district.value, name: district.options[district.selectedIndex].text };
    }
    const other = where && named.length && !named.some((d) => d.code === where.code);
    warning.textContent = other
      ? msg(pinDistrict ? "msgMismatchPin" : "msgMismatchDistrict", {
          address: named.map((d) => d.name).join("、"),
          place: where.name,
        })
      : "";
  };

  const resolve = () => {
    const url = `${mapEl.dataset.resolve}?lat=${encodeURIComponent(lat.value)}&lon=${encodeURIComponent(lon.value)}`;
    return fetch(url)
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        if (data.district) {
          pinDistrict = { code: data.district.code, name: data.district.name };
          const place = data.district.name + (data.village ? " " + data.village.name : "");
          if (status) status.textContent = msg("msgPlace", { place });
          if (district) district.value = data.district.code;
        } else {
          pinDistrict = null;
          if (status) status.textContent = msg("msgOutside");
        }
        check();
      });
  };

  const pin = (latlng, { write = true, pan = false } = {}) => {
    if (marker) marker.setLatLng(latlng);
    else marker = L.marker(latlng, { keyboard: false, alt: "" }).addTo(map);
    if (write) {
      lat.value = Number(latlng.lat ?? latlng[0]).toFixed(6);
      lon.value = Number(latlng.lng ?? latlng[1]).toFixed(6);
    }
    if (pan) map.setView(latlng, Math.max(map.getZoom(), VILLAGE_ZOOM + 1));
    return resolve();
  };

  const lookUp = () => {
    const text = address ? address.value.trim() : "";
    if (!text) {
      named = [];
      located = null;
      check();
      return Promise.resolve(null);
    }
    return fetch(`${mapEl.dataset.locate}?address=${encodeURIComponent(text)}`)
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!address || address.value.trim() !== text) return null; // typed on since
        located = data;
        named = data ? data.named : [];
        check();
        return data;
      });
  };

  map.on("click", (e) => pin(e.latlng));
  let timer = null;
  if (address) {
    address.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 350);
    });
  }
  if (district) district.addEventListener("change", () => (pinDistrict ? null : check()));
  const typed = () => {
    const y = parseFloat(lat.value);
    const x = parseFloat(lon.value);
    if (Number.isFinite(y) && Number.isFinite(x)) pin([y, x], { write: false, pan: true });
  };
  lat.addEventListener("change", typed);
  lon.addEventListener("change", typed);
  if (locate) {
    locate.addEventListener("click", () => {
      clearTimeout(timer);
      lookUp().then((data) => {
        if (data && data.lat !== null) {
          pin([data.lat, data.lon], { pan: true });
          map.setView([data.lat, data.lon], data.precision === "village" ? 15 : VILLAGE_ZOOM);
        } else if (status) {
          status.textContent = msg("msgNotFound");
        }
      });
    });
  }
  ready.then(() => {
    if (lat.value && lon.value) typed();
    if (address && address.value.trim()) lookUp();
  });
  return { pin, check, lookUp, get located() { return located; } };
}

// A place-picking form (the citizen form, the 1999 console): the map in `mapEl` with the picker
// wired to the form's standard fields (id_lat, id_lon, id_district, id_address) and its status,
// warning and "place from the address" elements.
export function formPlacePicker(mapEl) {
  if (!mapEl || !window.L) return null;
  const { map, ready } = createMap(mapEl);
  const byId = (id) => document.getElementById(id);
  placePicker(byId("place-picker"), mapEl, map, ready, {
    lat: byId("id_lat"),
    lon: byId("id_lon"),
    district: byId("id_district"),
    address: byId("id_address"),
    status: byId("map-status"),
    warning: byId("place-warning"),
    locate: byId("place-from-address"),
  });
  return map;
}
