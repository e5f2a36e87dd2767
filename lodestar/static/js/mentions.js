// The mention picker: typing "@" and part of a name in a <textarea data-mentions="URL"> lists up to
// eight colleagues (JSON from URL?q=); choosing one writes "@[Full Name]" into the text. Without
// JavaScript people type "@[Full Name]" themselves. No inline code (the CSP forbids it).
(function () {
  "use strict";

  var TYPED = /(?:^|[\s(])@([^@\[\]\n]{1,40})$/;
  var state = { field: null, list: null, people: [], active: -1, start: 0, timer: null, asked: "" };

  function close() {
    if (state.list) {
      state.list.remove();
    }
    if (state.field) {
      state.field.setAttribute("aria-expanded", "false");
      state.field.removeAttribute("aria-activedescendant");
    }
    state.list = null;
    state.people = [];
    state.active = -1;
  }

  function typedQuery(field) {
    var before = field.value.slice(0, field.selectionStart);
    var match = TYPED.exec(before);
    if (!match || match[1].split(" ").length > 3) {
      return null;
    }
    return { text: match[1], start: before.length - match[1].length - 1 };
  }

  function choose(index) {
    var person = state.people[index];
    var field = state.field;
    if (!person || !field) {
      return;
    }
    var end = field.selectionStart;
    var text = person.insert + " ";
    field.value = field.value.slice(0, state.start) + text + field.value.slice(end);
    var caret = state.start + text.length;
    field.setSelectionRange(caret, caret);
    close();
    field.focus();
  }

  function highlight(index) {
    if (!state.list) {
      return;
    }
    var items = state.list.children;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    state.active = index;
    if (items[index]) {
      state.field.setAttribute("aria-activedescendant", items[index].id);
    }
  }

  function show(field, people) {
    close();
    state.field = field;
    state.people = people;
    if (!people.length) {
      return;
    }
    var list = document.createElement("ul");
    list.className = "mention-options";
    list.id = field.id + "-mentions";
    list.setAttribute("role", "listbox");
    people.forEach(function (person, index) {
      var item = document.createElement("li");
      item.id = list.id + "-" + index;
      item.setAttribute("role", "option");
      item.textContent = person.name || person.insert;
      if (person.job_title) {
        var title = document.createElement("span");
        title.className = "muted small";
        title.textContent = person.job_title;
        item.appendChild(title);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(index);
      });
      list.appendChild(item);
    });
    field.insertAdjacentElement("afterend", list);
    field.setAttribute("aria-controls", list.id);
    field.setAttribute("aria-expanded", "true");
    state.list = list;
    highlight(0);
  }

  function ask(field) {
    var query = typedQuery(field);
    if (!query) {
      close();
      return;
    }
    state.start = query.start;
    if (query.text === state.asked && state.list) {
      return;
    }
    state.asked = query.text;
    var url = field.getAttribute("data-mentions") + "?q=" + encodeURIComponent(query.text);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { people: [] };
      })
      .then(function (data) {
        if (document.activeElement === field && typedQuery(field)) {
          show(field, data.people || []);
        }
      })
      .catch(close);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("textarea[data-mentions]")) {
      return;
    }
    field.setAttribute("aria-autocomplete", "list");
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      ask(field);
    }, 120);
  });

  document.addEventListener("keydown", function (event) {
    if (!state.list || event.target !== state.field) {
      return;
    }
    var count = state.people.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight((state.active + (event.key === "ArrowDown" ? 1 : count - 1)) % count);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(state.active < 0 ? 0 : state.active);
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === state.field) {
      setTimeout(close, 150);
    }
  });
})();
