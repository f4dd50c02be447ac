// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy allows no inline
// scripts and no inline event handlers (onclick=…, onsubmit=…). Words come from the page
// (<div id="rdec-strings" data-…> in base.html, translated there), never from this file.

const strings = () => document.getElementById("rdec-strings")?.dataset ?? {};

// <form data-confirm="Question?" [data-confirm-ok="…"] [data-confirm-when="name=value"]>: a confirmation step in a <dialog> before the
// form is sent (destructive actions: withdrawing a case or a dataset). Esc or 取消 keep the page as it was.
function confirmDialog(form) {
  const words = strings();
  const dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
  const title = document.createElement("h2");
  title.id = "confirm-dialog-title";
  title.textContent = form.dataset.confirm;
  dialog.append(title);
  if (form.dataset.confirmDetail) {
    const detail = document.createElement("p");
    detail.textContent = form.dataset.confirmDetail;
    dialog.append(detail);
  }
  const buttons = document.createElement("div");
  buttons.className = "button-group";
  const ok = document.createElement("button");
  ok.type = "button";
  ok.className = "button button-warning";
  ok.dataset.confirmOk = "";
  ok.textContent = form.dataset.confirmOk || words.confirmOk || "OK";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button button-secondary";
  cancel.textContent = words.confirmCancel || "Cancel";
  buttons.append(ok, cancel);
  dialog.append(buttons);
  document.body.append(dialog);
  const opener = document.activeElement;
  const close = () => {
    dialog.close();
    dialog.remove();
    if (opener instanceof HTMLElement) opener.focus();
  };
  cancel.addEventListener("click", close);
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    close();
  });
  ok.addEventListener("click", () => {
    dialog.close();
    dialog.remove();
    form.dataset.confirmed = "1";
    form.requestSubmit(form.querySelector("[type=submit]") || undefined);
  });
  dialog.showModal();
  cancel.focus();
}

document.addEventListener("submit", (e) => {
  const form = e.target.closest("form[data-confirm]");
  if (!form) return;
  // data-confirm-when="name=value": ask only when that choice is made (a review that releases an item).
  const when = form.dataset.confirmWhen;
  if (when) {
    const [name, value] = when.split("=");
    if (new FormData(form).get(name) !== value) return;
  }
  if (form.dataset.confirmed === "1") {
    delete form.dataset.confirmed;
    return;
  }
  e.preventDefault();
  confirmDialog(form);
});

// File inputs: the native control lies invisible over a button-styled box (.file-input in rdec.css); the
// chosen file names are shown next to it and announced.
function enhanceFileInput(input) {
  if (input.closest(".file-input")) return;
  const words = strings();
  const box = document.createElement("div");
  box.className = "file-input";
  const button = document.createElement("span");
  button.className = "button button-secondary file-input-button";
  button.setAttribute("aria-hidden", "true");
  button.textContent = input.multiple ? words.chooseFiles || "Choose files" : words.chooseFile || "Choose a file";
  const name = document.createElement("span");
  name.className = "file-input-name is-empty";
  name.setAttribute("aria-live", "polite");
  name.textContent = words.noFile || "No file chosen";
  input.replaceWith(box);
  box.append(input, button, name);
  input.addEventListener("change", () => {
    const files = [...input.files].map((f) => f.name);
    name.classList.toggle("is-empty", files.length === 0);
    name.textContent = files.length ? files.join("、") : words.noFile || "No file chosen";
  });
}

function enhanceAll(root) {
  root.querySelectorAll("input[type=file]").forEach(enhanceFileInput);
}
enhanceAll(document);
document.addEventListener("htmx:afterSettle", (e) => enhanceAll(e.target));
