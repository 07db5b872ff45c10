// The person picker: a text field (an e-mail, or several separated by commas) becomes an
// ARIA 1.2 combobox over the people search. Typing lists a few matches; Down/Up move
// through them, Enter or a click picks one (the field then holds its e-mail), Escape
// closes the list. Without this script the field is a plain e-mail field the server
// resolves. No inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  var counter = 0;

  function currentTerm(input, multiple) {
    if (!multiple) { return input.value.trim(); }
    var parts = input.value.split(",");
    return parts[parts.length - 1].trim();
  }

  function setup(input) {
    var multiple = input.getAttribute("data-person-picker") === "multiple";
    var url = input.getAttribute("data-search-url");
    var id = "picker-" + (++counter);
    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-picker-label") || "Matching people");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "picker-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var wrap = document.createElement("span");
    wrap.className = "picker";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var chosen = results[index];
      if (!chosen) { return; }
      if (multiple) {
        var parts = input.value.split(",").map(function (p) { return p.trim(); });
        parts[parts.length - 1] = chosen.value;
        input.value = parts.filter(Boolean).join(", ") + ", ";
      } else {
        input.value = chosen.value;
      }
      status.textContent = chosen.name + " chosen.";
      close();
      input.focus();
    }

    function show(answer) {
      results = answer.results || [];
      list.textContent = "";
      results.forEach(function (row, i) {
        var option = document.createElement("li");
        option.id = id + "-opt-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "picker-name";
        name.textContent = row.name;
        var detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = [row.detail, row.email].filter(Boolean).join(" · ");
        option.appendChild(name);
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { pick(i); });
        list.appendChild(option);
      });
      if (!results.length) {
        status.textContent = "No match.";
        close();
        return;
      }
      status.textContent = results.length + (answer.more ? "+" : "") + " matches; use the arrow keys.";
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }

    function search() {
      var term = currentTerm(input, multiple);
      if (term.length < 2) { close(); return; }
      var mine = ++asked;
      var sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (answer) { return answer.ok ? answer.json() : { results: [] }; })
        .then(function (answer) { if (mine === asked) { show(answer); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length;
      if (event.key === "ArrowDown") {
        if (!open) { search(); return; }
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-person-picker]").forEach(setup);
  });
})();
