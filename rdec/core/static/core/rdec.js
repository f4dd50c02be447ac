// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy allows no inline
// scripts and no inline event handlers (onclick=…, onsubmit=…).

// <form data-confirm="Question?">: asks before submitting (e.g. withdrawing a dataset).
document.addEventListener("submit", (e) => {
  const form = e.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) e.preventDefault();
});
