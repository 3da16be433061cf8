// Pickers that fit: a filter box over a long list of people to tick, and choices that
// follow another field (a requisition's specialty follows its level). Without this file
// the pages work as they are: the whole list, every specialty, the server checks.
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  // <div data-picker-filter="LIST_ID" hidden> holding an <input type="search"> and a
  // <small> for the count: typing hides the list's items whose text lacks a word typed.
  // Ticked people stay in view, so that nobody chosen disappears.
  function setUpFilter(box) {
    var list = document.getElementById(box.getAttribute("data-picker-filter"));
    var input = box.querySelector("input");
    var count = box.querySelector("small");
    if (!list || !input) {
      return;
    }
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    function apply() {
      var wanted = words(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.textContent.toLowerCase();
        var tick = item.querySelector("input");
        var match = wanted.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !(match || (tick && tick.checked));
        if (!item.hidden) {
          shown += 1;
        }
      });
      if (count) {
        count.textContent = wanted.length ? shown + " of " + items.length + " shown" : "";
      }
    }
    input.addEventListener("input", apply);
    box.hidden = false;
  }

  // <select data-follows="OTHER_ID"> whose <option data-levels="a b c"> apply only where
  // the other field's value is listed. Options that do not apply are hidden and disabled;
  // a choice that stops applying when the other field changes is cleared.
  function setUpFollower(select) {
    var leader = document.getElementById(select.getAttribute("data-follows"));
    if (!leader) {
      return;
    }
    function apply(clear) {
      var value = leader.value;
      Array.prototype.forEach.call(select.options, function (option) {
        var levels = option.getAttribute("data-levels");
        if (levels === null) {
          return;
        }
        var fits = levels.split(" ").indexOf(value) !== -1;
        // On load the saved choice stays as it is: the server says what is wrong with it.
        var keep = !clear && option.selected;
        option.hidden = !fits && !keep;
        option.disabled = !fits && !keep;
        if (!fits && option.selected && clear) {
          select.value = "";
        }
      });
    }
    leader.addEventListener("change", function () { apply(true); });
    apply(false);
  }

  function start() {
    document.querySelectorAll("[data-picker-filter]").forEach(setUpFilter);
    document.querySelectorAll("select[data-follows]").forEach(setUpFollower);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
