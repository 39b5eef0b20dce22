/* Keyboard shortcuts of the reviewer UI. Loaded as a static file (CSP: script-src 'self').
 *   j / k      next / previous claim in the queue (Enter or o opens it)
 *   v / d / u  open the verdict form with verified / disputed / unverifiable
 *   ?          shortcut help
 */
(function () {
  "use strict";
  var VERDICT_KEYS = { v: "verified", d: "disputed", u: "unverifiable" };

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.queue-row"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row) { row.classList.remove("selected"); row.removeAttribute("aria-selected"); });
    var row = all[index];
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    var link = row.querySelector("a.claim-link");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function selectedIndex() {
    return rows().findIndex(function (row) { return row.classList.contains("selected"); });
  }

  function openVerdict(verdict) {
    var form = document.getElementById("verdict-form");
    if (form) {
      var radio = form.querySelector('input[name="verdict"][value="' + verdict + '"]');
      if (radio) radio.checked = true;
      var section = document.getElementById("verdict");
      if (section) section.scrollIntoView({ block: "start" });
      var rationale = form.querySelector("textarea[name=rationale]");
      if (rationale) rationale.focus();
      return true;
    }
    // In the queue: open the selected claim with that verdict preselected.
    var index = selectedIndex();
    if (index >= 0) {
      window.location.href = rows()[index].dataset.url + "?verdict=" + verdict + "#verdict";
      return true;
    }
    return false;
  }

  function showHelp() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (key === "?") { showHelp(); event.preventDefault(); return; }
    if (key === "j" || key === "k") {
      if (!rows().length) return;
      var index = selectedIndex();
      select(index < 0 ? 0 : index + (key === "j" ? 1 : -1));
      event.preventDefault();
      return;
    }
    if ((key === "Enter" && event.target.closest && !event.target.closest("a,button")) || key === "o") {
      var current = selectedIndex();
      if (current >= 0) { window.location.href = rows()[current].dataset.url; event.preventDefault(); }
      return;
    }
    if (Object.prototype.hasOwnProperty.call(VERDICT_KEYS, key)) {
      if (openVerdict(VERDICT_KEYS[key])) event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest && event.target.closest("[data-show-help]");
    if (trigger) showHelp();
  });

  // The claim page opened from the queue with ?verdict=…: focus the rationale
  // (on load: scrolling to the #verdict fragment would otherwise take the focus back).
  window.addEventListener("load", function () {
    var params = new URLSearchParams(window.location.search);
    var verdict = params.get("verdict");
    if (verdict && document.getElementById("verdict-form")) openVerdict(verdict);
  });
})();
