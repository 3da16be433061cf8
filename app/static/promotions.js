// Promotion packets: save each section as it is written.
//
// A section is saved a moment after typing stops, and when its box loses focus. The server
// answers with the section's new version, which the page keeps so the next save (or the
// Save/Submit buttons, which work without this script too) builds on it. When someone else
// saved the section meanwhile, nothing is overwritten: their text is shown beside the box
// and the author chooses.
(function () {
  "use strict";

  var form = document.querySelector("form.packet-form[data-autosave]");
  if (!form) {
    return;
  }
  var urlTemplate = form.getAttribute("data-autosave");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var DELAY_MS = 1200;
  var states = {};

  function versionInput(key) {
    return form.querySelector('input[data-version-for="' + key + '"]');
  }

  function status(key, text, isError) {
    var node = document.getElementById("saved-" + key);
    if (node) {
      node.textContent = text;
      node.classList.toggle("error", Boolean(isError));
    }
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function updateProgress(done) {
    var label = document.getElementById("progress-done");
    var bar = document.getElementById("progress-bar");
    if (label) {
      label.textContent = String(done);
    }
    if (bar) {
      bar.value = done;
    }
  }

  function clearConflict(key) {
    var old = document.getElementById("conflict-" + key);
    if (old) {
      old.remove();
    }
  }

  function showConflict(key, textarea, theirs, version) {
    clearConflict(key);
    var box = document.createElement("div");
    box.className = "conflict-box";
    box.id = "conflict-" + key;
    box.setAttribute("role", "alert");
    var intro = document.createElement("p");
    intro.textContent = "Someone else saved this section meanwhile. Their text:";
    var quote = document.createElement("blockquote");
    quote.className = "evidence-text";
    quote.textContent = theirs || "(empty)";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "small";
    keep.textContent = "Keep my text";
    var take = document.createElement("button");
    take.type = "button";
    take.className = "small secondary";
    take.textContent = "Use their text";
    keep.addEventListener("click", function () {
      versionInput(key).value = String(version);
      states[key].blocked = false;
      clearConflict(key);
      save(key, textarea);
    });
    take.addEventListener("click", function () {
      textarea.value = theirs;
      versionInput(key).value = String(version);
      states[key].blocked = false;
      states[key].dirty = false;
      clearConflict(key);
      status(key, "Their text is in the box.", false);
    });
    var actions = document.createElement("p");
    actions.className = "conflict-actions";
    actions.append(keep, " ", take);
    box.append(intro, quote, actions);
    textarea.parentNode.insertBefore(box, textarea);
  }

  function save(key, textarea) {
    var state = states[key];
    if (state.blocked) {
      return Promise.resolve();
    }
    if (state.inflight) {
      state.again = true;
      return state.inflight;
    }
    clearTimeout(state.timer);
    state.dirty = false;
    var body = new URLSearchParams();
    body.set("csrf_token", csrf);
    body.set("evidence", textarea.value);
    body.set("version", versionInput(key).value);
    status(key, "Saving…", false);
    state.inflight = fetch(urlTemplate.replace("__KEY__", encodeURIComponent(key)), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { response: response, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (result.response.ok) {
          versionInput(key).value = String(data.version);
          updateProgress(data.done);
          status(key, "Saved " + clock(), false);
        } else if (result.response.status === 409 && data.theirs !== undefined) {
          state.blocked = true;
          status(key, "Not saved: see the other text above.", true);
          showConflict(key, textarea, data.theirs, data.version);
        } else {
          state.dirty = true;
          status(key, "Not saved: " + (data.error || "the server refused the text."), true);
        }
      })
      .catch(function () {
        state.dirty = true;
        status(key, "Not saved: no connection. Your text stays here; use Save when back online.", true);
      })
      .then(function () {
        state.inflight = null;
        if (state.again) {
          state.again = false;
          return save(key, textarea);
        }
        return undefined;
      });
    return state.inflight;
  }

  var boxes = form.querySelectorAll("textarea[data-key]");
  boxes.forEach(function (textarea) {
    var key = textarea.getAttribute("data-key");
    states[key] = { timer: null, dirty: false, inflight: null, again: false, blocked: false };
    textarea.addEventListener("input", function () {
      var state = states[key];
      state.dirty = true;
      if (!state.blocked) {
        status(key, "Editing…", false);
      }
      clearTimeout(state.timer);
      state.timer = setTimeout(function () {
        save(key, textarea);
      }, DELAY_MS);
    });
    textarea.addEventListener("blur", function () {
      if (states[key].dirty) {
        save(key, textarea);
      }
    });
  });

  function pending() {
    return Object.keys(states).some(function (key) {
      return states[key].dirty || states[key].inflight;
    });
  }

  // The Save and Submit buttons post the whole form: let running saves finish first, so the
  // form carries the versions they produced.
  var flushing = false;
  form.addEventListener("submit", function (event) {
    if (flushing || !pending()) {
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var saves = [];
    boxes.forEach(function (textarea) {
      var key = textarea.getAttribute("data-key");
      if (states[key].dirty || states[key].inflight) {
        saves.push(save(key, textarea));
      }
    });
    Promise.all(saves).then(function () {
      flushing = true;
      form.requestSubmit(submitter);
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (!flushing && pending()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
