// The picker for several people (lodestar.orgs.pickers.PeopleInput) with JavaScript: the people
// chosen show as chips with a remove button, and one input with suggestions (htmx fills its
// datalist) turns what is typed into chips: on Enter, a comma or semicolon, on choosing a
// suggestion and on pasting a list. What is still typed when the form is sent goes with it, and
// the server reads it the same way. Without JavaScript the ticked boxes and the text box do it all.
// No inline code (the Content Security Policy forbids it).
(function () {
  "use strict";

  // As the server splits (pickers._ENTRY): not at a comma inside "quotes" or <brackets>.
  var ENTRY = /(?:"[^"\r\n]*"|<[^<>\r\n]*>|[^,;\r\n])+/g;
  var SEPARATOR = /[,;\r\n]/;

  function entries(text) {
    return (text.match(ENTRY) || [])
      .map(function (entry) {
        return entry.trim();
      })
      .filter(Boolean);
  }

  function unclosed(text) {
    // A comma typed inside "quotes" or <brackets> belongs to the entry.
    return (text.split('"').length - 1) % 2 === 1 || text.lastIndexOf("<") > text.lastIndexOf(">");
  }

  function removeButton(picker, chip, name) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip-remove";
    button.setAttribute("aria-label", picker.getAttribute("data-remove-label") + " " + name);
    button.textContent = "×";
    button.addEventListener("click", function () {
      var search = picker.querySelector("[data-picker-search]");
      var list = chip.parentElement;
      chip.remove();
      list.hidden = !list.children.length;
      search.focus();
    });
    chip.appendChild(button);
  }

  function chosenValues(picker) {
    return Array.prototype.map.call(picker.querySelectorAll("[data-picker-chosen] input"), function (input) {
      return input.value.toLowerCase();
    });
  }

  // The suggestion whose value was typed: "Full Name · Job title" shows the name.
  function suggested(search, value) {
    var options = search.list ? search.list.options : [];
    for (var i = 0; i < options.length; i++) {
      if (options[i].value.toLowerCase() === value.toLowerCase()) {
        return options[i].textContent.split(" · ")[0];
      }
    }
    return "";
  }

  // "Full Name <address>" as mail programs write it: the name shows, the address beside it.
  var NAMED = /^"?([^"<]*?)"?\s*<\s*([^<>\s]+@[^<>\s]+)\s*>$/;

  function addChip(picker, search, entry) {
    var named = NAMED.exec(entry);
    var value = named ? named[2] : entry;
    if (chosenValues(picker).indexOf(value.toLowerCase()) !== -1) {
      return;
    }
    var name = suggested(search, value) || (named ? named[1].trim() : "");
    var list = picker.querySelector("[data-picker-chosen]");
    var chip = document.createElement("li");
    chip.className = "chip";
    var label = document.createElement("span");
    label.className = "chip-label";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = search.name;
    input.value = value;
    label.appendChild(input);
    label.appendChild(document.createTextNode(name || value));
    if (name) {
      var address = document.createElement("span");
      address.className = "muted";
      address.textContent = value;
      label.appendChild(address);
    }
    chip.appendChild(label);
    removeButton(picker, chip, name || value);
    list.appendChild(chip);
    list.hidden = false;
  }

  function commit(picker, search, text) {
    entries(text).forEach(function (entry) {
      addChip(picker, search, entry);
    });
  }

  function enhance(picker) {
    if (picker.hasAttribute("data-enhanced")) {
      return;
    }
    var text = picker.querySelector("[data-picker-text]");
    var search = picker.querySelector("[data-picker-search]");
    if (!text || !search) {
      return;
    }
    picker.setAttribute("data-enhanced", "");
    picker.classList.add("people-picker-chips");
    // The ticked boxes become chips; what the server could not place waits in the input to be fixed.
    picker.querySelectorAll("[data-picker-chosen] > li").forEach(function (chip) {
      var box = chip.querySelector("input[type=checkbox]");
      if (!box || !box.checked) {
        chip.remove();
        return;
      }
      box.type = "hidden";
      var label = chip.querySelector("label");
      var span = document.createElement("span");
      span.className = "chip-label";
      while (label.firstChild) {
        span.appendChild(label.firstChild);
      }
      label.replaceWith(span);
      removeButton(picker, chip, span.textContent.trim().split(/\s+\S+@\S+$/)[0]);
    });
    search.value = entries(text.value).join(", ");
    text.disabled = true;
    text.hidden = true;
    search.disabled = false;
    search.hidden = false;
    var label = picker.querySelector("[data-picker-label]");
    if (label) {
      label.htmlFor = search.id;
    }

    search.addEventListener("keydown", function (event) {
      var value = search.value;
      if (event.key === "Enter" && value.trim()) {
        event.preventDefault();
        commit(picker, search, value);
        search.value = "";
      } else if ((event.key === "," || event.key === ";") && value.trim() && !unclosed(value)) {
        event.preventDefault();
        commit(picker, search, value);
        search.value = "";
      }
    });
    // A suggestion chosen from the list (browsers send no ordinary typing event for it).
    search.addEventListener("input", function (event) {
      var value = search.value.trim();
      if ((!event.inputType || event.inputType === "insertReplacementText") && suggested(search, value)) {
        commit(picker, search, value);
        search.value = "";
      }
    });
    // A pasted list becomes chips at once (a one-line input would drop its line breaks).
    search.addEventListener("paste", function (event) {
      var pasted = event.clipboardData ? event.clipboardData.getData("text") : "";
      if (!SEPARATOR.test(pasted)) {
        return;
      }
      event.preventDefault();
      commit(picker, search, search.value + "\n" + pasted);
      search.value = "";
    });
  }

  function scan(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-people-picker]").forEach(enhance);
  }

  document.addEventListener("htmx:load", function (event) {
    scan(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      scan(document);
    });
  } else {
    scan(document);
  }
})();
