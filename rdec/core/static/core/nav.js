// The header's menus (rdec/core/templates/core/_nav.html): <details> elements, so they open and
// close without scripts too; this adds what a menu bar needs — aria-expanded on each button, one
// menu open at a time, Escape closes and returns focus, a click outside or tabbing away closes.
(() => {
  const nav = document.querySelector("[data-nav]");
  if (!nav) return;
  const phone = window.matchMedia("(max-width: 48rem)");
  const menus = [...nav.querySelectorAll("details[data-nav-menu]")];
  const toggle = nav.querySelector("details[data-nav-toggle]");
  const all = toggle ? [toggle, ...menus] : menus;

  const sync = (d) => d.querySelector(":scope > summary").setAttribute("aria-expanded", String(d.open));
  const closeMenus = (except) => menus.forEach((d) => { if (d !== except && d.open) d.open = false; });

  all.forEach((d) => {
    sync(d);
    d.addEventListener("toggle", () => {
      sync(d);
      if (d.open && d !== toggle && !phone.matches) closeMenus(d);
    });
  });

  // Tabbing out of an open menu closes it (on desks; on phones the menus stay open in the list).
  menus.forEach((d) => d.addEventListener("focusout", (e) => {
    if (!phone.matches && e.relatedTarget && !d.contains(e.relatedTarget)) d.open = false;
  }));

  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    const open = menus.filter((d) => d.open);
    const target = open.find((d) => d.contains(document.activeElement)) || open[0]
      || (toggle && toggle.open ? toggle : null);
    if (!target) return;
    target.open = false;
    target.querySelector(":scope > summary").focus();
  });

  document.addEventListener("click", (e) => {
    if (nav.contains(e.target)) return;
    closeMenus(null);
    if (toggle && toggle.open) toggle.open = false;
  });
})();
