// The main menu on narrow screens: folded behind the "Menu" button, which says whether it
// is open (aria-expanded). Loaded in <head> so the page never flashes the unfolded menu;
// without JavaScript the button stays hidden and the menu simply wraps (app.css).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setOpen(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  // A link to something inside a closed <details> (the board's "Decline…" opens the decline
  // form on the application page) opens it: Chromium does, other browsers do not.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") {
        node.open = true;
      }
    }
    if (target) {
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);

  document.addEventListener("DOMContentLoaded", function () {
    openTarget();
    var toggle = document.querySelector(".site-header .nav-toggle");
    if (!toggle) {
      return;
    }
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.addEventListener("click", function () {
      setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape folds the menu and gives the focus back to its button.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(toggle, false);
        toggle.focus();
      }
    });
    // Tabbing out of the open menu folds it, so it does not cover the page.
    if (menu) {
      menu.addEventListener("focusout", function (event) {
        var next = event.relatedTarget;
        if (next && next !== toggle && !menu.contains(next)) {
          setOpen(toggle, false);
        }
      });
    }
  });
})();
