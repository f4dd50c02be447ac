// The citizen form's place: the shared map and place picker (core/maps.js): a click on the map, the
// address ("place the pin from the address") or coordinates typed in place the pin; the district and
// village under it are shown, and a warning when the address names another district.
import { formPlacePicker } from "../core/maps.js";

formPlacePicker(document.getElementById("case-map"));

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
