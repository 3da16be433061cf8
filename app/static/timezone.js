// The notifications page: when no time zone is chosen yet, preselect the browser's zone
// and say so. Nothing is saved until the person presses Save; without JavaScript the
// page works the same, with the default zone preselected.
(function () {
  "use strict";
  var select = document.getElementById("timezone");
  var note = document.getElementById("zone-suggestion");
  if (!select || !note || select.value !== "" || !window.Intl) {
    return;
  }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) {
    return;
  }
  select.value = zone;
  note.textContent = "Your browser says you are in " + zone + ": preselected; press Save to keep it.";
  note.hidden = false;
})();
