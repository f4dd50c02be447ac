// The case page: insert a reply template into the reply text.
const select = document.getElementById("reply-template");
const insert = document.getElementById("reply-template-insert");
const body = document.getElementById("reply_body");
if (select && insert && body) {
  insert.addEventListener("click", () => {
    const tpl = document.getElementById(`tpl-${select.value}`);
    if (!tpl) return;
    body.value = body.value ? `${body.value}\n${tpl.content.textContent.trim()}` : tpl.content.textContent.trim();
    body.focus();
  });
}

// Duplicate candidates (analytics): "merge into this case" fills the merge form.
document.addEventListener("click", (e) => {
  const button = e.target.closest("[data-merge-into]");
  const into = document.getElementById("merge_into");
  if (!button || !into) return;
  const details = into.closest("details");
  if (details) details.open = true;
  into.value = button.dataset.mergeInto;
  into.scrollIntoView({ block: "center" });
  into.focus();
});
