// Presentation mode: one slide at a time, driven by the keyboard (←/→, Page Up/Down, space, Home/End,
// F for full screen, Esc to leave) or the buttons; the address keeps the slide (#slide-…), so a
// reload or a shared link opens the same one. Without this file the slides stand one below the other.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  var deck = document.getElementById("deck");
  if (!deck) {
    return;
  }
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  var position = document.querySelector(".deck-position");
  var current = 0;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, number) {
      slide.hidden = number !== current;
    });
    position.textContent = current + 1 + " / " + slides.length;
    history.replaceState(null, "", "#" + slides[current].id);
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  var keys = {
    ArrowRight: function () { show(current + 1); },
    ArrowDown: function () { show(current + 1); },
    PageDown: function () { show(current + 1); },
    " ": function () { show(current + 1); },
    ArrowLeft: function () { show(current - 1); },
    ArrowUp: function () { show(current - 1); },
    PageUp: function () { show(current - 1); },
    Home: function () { show(0); },
    End: function () { show(slides.length - 1); },
    f: toggleFullScreen,
    F: toggleFullScreen,
    Escape: function () {
      if (!document.fullscreenElement) {
        window.location.href = deck.getAttribute("data-exit-url");
      }
    },
  };

  document.addEventListener("keydown", function (event) {
    var action = keys[event.key];
    var onControl = event.target.closest && event.target.closest("button, a");
    if (!action || event.altKey || event.ctrlKey || event.metaKey || (onControl && (event.key === " " || event.key === "Enter"))) {
      return;
    }
    event.preventDefault();
    action();
  });

  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("[data-deck-previous], [data-deck-next], [data-deck-fullscreen], [data-deck-print]");
    if (!control) {
      return;
    }
    if (control.hasAttribute("data-deck-previous")) {
      show(current - 1);
    } else if (control.hasAttribute("data-deck-next")) {
      show(current + 1);
    } else if (control.hasAttribute("data-deck-fullscreen")) {
      toggleFullScreen();
    } else {
      window.print();
    }
  });

  var asked = slides.findIndex(function (slide) {
    return "#" + slide.id === window.location.hash;
  });
  show(asked >= 0 ? asked : 0);
})();
