// Small progressive enhancements; every page works without this file.
// No inline scripts or handlers anywhere (the Content Security Policy forbids them).
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // <select data-autosubmit> submits its form on change (the form keeps a submit button for no-JS use).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit();
    }
  });

  // <a data-opens-dialog="id"> opens the <dialog id="id"> instead of following the link to the confirmation page.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-opens-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens-dialog"));
      if (dialog && dialog.showModal) {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = event.target.closest && event.target.closest("[data-closes-dialog]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) {
        event.preventDefault();
        open.close();
      }
    }
  });

  // The mobile menu: a button toggles the navigation under 768 px.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-toggles-nav]");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("nav-open", !open);
    }
  });

  // The alignment map: "Path" highlights an objective and everything it aligns to, up to the top,
  // without a page load (the link does the same on the server without JavaScript).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-map-focus]");
    var node = link && link.closest(".map-node");
    if (!node) {
      return;
    }
    event.preventDefault();
    var map = node.closest(".map");
    map.querySelectorAll(".map-node.on-path").forEach(function (other) {
      other.classList.remove("on-path", "focused");
      other.removeAttribute("aria-current");
    });
    node.classList.add("focused");
    node.setAttribute("aria-current", "location");
    for (var step = node; step; step = step.parentElement.closest(".map-node")) {
      step.classList.add("on-path");
    }
    history.replaceState(null, "", link.href);
  });

  // The alignment map's "Expand all" and "Collapse all" (branches still to load stay closed).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-map-expand], [data-map-collapse]");
    if (!button) {
      return;
    }
    var open = button.hasAttribute("data-map-expand");
    document.querySelectorAll(".map details.map-branch").forEach(function (branch) {
      if (!open || !branch.querySelector(":scope > .map-lazy")) {
        branch.open = open;
      }
    });
  });

  // <button data-copies="id"> copies the text of the field #id (the field stays selectable without JavaScript).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copies]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copies"));
    if (!field) {
      return;
    }
    field.select();
    var done = function () {
      button.textContent = button.getAttribute("data-copied-label") || button.textContent;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });
})();
