// Opens and closes a node of the organization tree. htmx fetches a node's children the first
// time its button is pressed (hx-trigger="click once"); after that this only shows or hides them.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.toggle");
  if (!button) return;
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  var list = button.closest(".node").querySelector(".children");
  if (list) list.hidden = !open;
});
