"""Keeps a handle on the Leaflet map a page makes, to turn a place into a pixel to click."""

CATCH_LEAFLET_MAP = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && !value.__rdecHooked) {
        value.__rdecHooked = true;
        value.Map.addInitHook(function () { window.__rdecMap = this; });
      }
    },
  });
})();
"""
