// 提點子 pages: similar earlier proposals while typing (the form works without this: a button asks
// the server), the live support count on the proposal page, and rows added to the point-by-point
// response (five blank rows without scripts). Words come from the page, never from this file.

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function similarWhileTyping() {
  const box = document.querySelector("[data-similar-url]");
  const input = document.querySelector("[data-similar-source]");
  const list = document.getElementById("pp-similar-list");
  if (!box || !input || !list) return;
  let last = "";
  const show = (rows) => {
    list.replaceChildren();
    if (!rows.length) {
      const li = document.createElement("li");
      li.textContent = list.dataset.empty || "";
      list.append(li);
      return;
    }
    for (const row of rows) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = row.url;
      a.textContent = row.title;
      li.append(a, document.createTextNode(`（${row.status}）`));
      list.append(li);
    }
  };
  const ask = debounce(async () => {
    const q = input.value.trim();
    if (q === last) return;
    last = q;
    if (q.length < 2) {
      list.replaceChildren();
      return;
    }
    try {
      const response = await fetch(`${box.dataset.similarUrl}?q=${encodeURIComponent(q)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim() === q) show(data.results || []);
    } catch {
      // offline or the server busy: the button still asks
    }
  }, 400);
  input.addEventListener("input", ask);
}

function liveCount() {
  const box = document.querySelector("[data-count-url][data-poll]");
  if (!box) return;
  const seconds = Math.max(5, Number(box.dataset.poll) || 15);
  const update = async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(box.dataset.countUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      for (const el of box.querySelectorAll("[data-live=count]")) el.textContent = data.endorsement_count;
      for (const el of box.querySelectorAll("[data-live=threshold]")) el.textContent = data.threshold;
      for (const el of box.querySelectorAll("[data-live=bar]")) {
        el.max = data.threshold;
        el.value = data.endorsement_count;
      }
      for (const el of box.querySelectorAll("[data-live=review]")) el.textContent = data.under_review;
      const review = box.querySelector("[data-testid=under-review]");
      if (review) review.hidden = !data.under_review;
      for (const el of document.querySelectorAll("[data-testid=proposal-status]")) {
        el.textContent = data.status_label;
      }
    } catch {
      // try again at the next tick
    }
  };
  setInterval(update, seconds * 1000);
}

function responseRows() {
  const add = document.getElementById("pp-add-point");
  const rows = document.getElementById("pp-point-rows");
  const template = document.getElementById("pp-point-template");
  const total = document.querySelector("input[name$='-TOTAL_FORMS']");
  const max = document.querySelector("input[name$='-MAX_NUM_FORMS']");
  if (!add || !rows || !template || !total) return;
  add.hidden = false;
  add.addEventListener("click", () => {
    const index = Number(total.value);
    if (max && index >= Number(max.value)) return;
    // a copy of the server's empty row, its names and ids numbered (no markup built from strings)
    const row = template.content.cloneNode(true);
    for (const el of row.querySelectorAll("*")) {
      for (const attr of Array.from(el.attributes)) {
        if (attr.value.includes("__prefix__")) {
          el.setAttribute(attr.name, attr.value.replaceAll("__prefix__", String(index)));
        }
      }
    }
    rows.append(row);
    total.value = String(index + 1);
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("textarea");
    if (first) first.focus();
  });
}

similarWhileTyping();
liveCount();
responseRows();
