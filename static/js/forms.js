// After a refused submit, bring the first mistake into view and put the cursor in it: on a phone the
// form's fields run far below the fold, and the red lines would otherwise go unseen.
document.addEventListener("DOMContentLoaded", () => {
  const field = document.querySelector(
    ".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
  const target = field || document.querySelector("form .alert-error");
  if (!target) return;
  if (!field) target.setAttribute("tabindex", "-1");  // an error of the whole form: focus its message
  (target.closest(".field") || target).scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
});
