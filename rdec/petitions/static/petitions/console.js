// The 1999 console: Ctrl+Enter (or Cmd+Enter) in the description submits the filing form;
// Alt+K jumps to the knowledge-base search (accesskey), Alt+P back to the caller's phone.
// The place: the shared map and place picker (core/maps.js), as on the citizen form.
import { formPlacePicker } from "../core/maps.js";

formPlacePicker(document.getElementById("console-map"));
for (const area of document.querySelectorAll("#console-form textarea")) {
  area.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      area.form.requestSubmit();
    }
  });
}

// Route hints (analytics): choosing a suggestion sets the category.
document.addEventListener("click", (e) => {
  const button = e.target.closest("#route-hints [data-category]");
  if (!button) return;
  const select = document.getElementById("id_category");
  if (select) {
    select.value = button.dataset.category;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  }
});

// The knowledge-base search answers as one types (htmx): Enter does not leave the console.
for (const form of document.querySelectorAll("form[data-no-submit]")) {
  form.addEventListener("submit", (e) => e.preventDefault());
}
