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

  function baseInput(key) {
    return form.querySelector('input[data-base-for="' + key + '"]');
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
      baseInput(key).value = theirs;
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
    state.offline = false;
    state.refused = false;
    var sent = textarea.value;
    var body = new URLSearchParams();
    body.set("csrf_token", csrf);
    body.set("evidence", sent);
    body.set("version", versionInput(key).value);
    status(key, "Saving…", false);
    state.inflight = fetch(urlTemplate.replace("__KEY__", encodeURIComponent(key)), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
    })
      .then(function (response) {
        // An answer that is not JSON (a proxy's error page) still has a status to go by.
        return response.json().then(
          function (data) {
            return { response: response, data: data };
          },
          function () {
            return { response: response, data: {} };
          }
        );
      })
      .then(function (result) {
        var data = result.data;
        var code = result.response.status;
        if (result.response.ok) {
          versionInput(key).value = String(data.version);
          baseInput(key).value = sent;
          updateProgress(data.done);
          status(key, "Saved " + clock(), false);
        } else if (code === 409 && data.theirs !== undefined) {
          state.blocked = true;
          status(key, "Not saved: see the other text above.", true);
          showConflict(key, textarea, data.theirs, data.version);
        } else {
          // Refused: the text stays in the box, and leaving the page warns.
          state.dirty = true;
          state.refused = true;
          var why = data.error || (code === 403 || code === 404
            ? "you can no longer edit this packet."
            : "the server answered " + code + ".");
          status(key, "Not saved: " + why + " Copy your text before leaving.", true);
        }
      })
      .catch(function () {
        state.dirty = true;
        state.offline = true;
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
    states[key] = {
      timer: null,
      dirty: false,
      inflight: null,
      again: false,
      blocked: false,
      refused: false,
      offline: false,
    };
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
      var state = states[key];
      return state.dirty || state.inflight || state.blocked;
    });
  }

  function stuck() {
    return Object.keys(states).filter(function (key) {
      return states[key].blocked || (states[key].refused && !states[key].offline);
    });
  }

  function announce(text) {
    var node = document.getElementById("packet-form-status");
    if (!node) {
      node = document.createElement("p");
      node.id = "packet-form-status";
      node.className = "field-error";
      node.setAttribute("role", "alert");
      form.querySelector(".sticky-actions").prepend(node);
    }
    node.textContent = text;
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
      var keys = stuck();
      if (keys.length) {
        // A conflict or a refusal needs a person: posting the form would not help.
        announce("Not sent: " + keys.length + " section(s) could not be saved; see the messages by them.");
        var first = document.getElementById("section-" + keys[0]);
        if (first) {
          first.scrollIntoView();
        }
        return;
      }
      // Saved, or offline: the form itself carries the text.
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
