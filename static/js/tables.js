// A table wider than its box scrolls sideways, which a phone does not show: mark such a box (a shadow
// on the side where columns hide, see app.css) and say so above it. Again after htmx swaps a list in.
(() => {
  const HINT = "Bảng rộng hơn màn hình: vuốt ngang để xem các cột còn lại.";

  function mark(wrap) {
    const wide = wrap.scrollWidth - wrap.clientWidth > 1;
    wrap.classList.toggle("scrolls", wide);
    wrap.classList.toggle("scrolled", wrap.scrollLeft > 0);
    wrap.classList.toggle("at-end", wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
    const hint = wrap.previousElementSibling;
    const hasHint = hint && hint.classList.contains("scroll-hint");
    if (wide && !hasHint) {
      const p = document.createElement("p");
      p.className = "scroll-hint";
      p.textContent = HINT;
      wrap.before(p);
    } else if (!wide && hasHint) {
      hint.remove();
    }
  }

  const markAll = () => document.querySelectorAll(".table-wrap").forEach(mark);
  document.addEventListener("DOMContentLoaded", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
  window.addEventListener("resize", markAll);
  document.addEventListener("scroll", (event) => {
    if (event.target.classList && event.target.classList.contains("table-wrap")) mark(event.target);
  }, true);
})();
