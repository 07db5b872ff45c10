// The influence network (Cytoscape.js), loaded one bounded slice at a time from the
// page's JSON endpoint: the whole map when small, its communities when large (click one
// to open its leaders), or the leaders of a unit, a community or a search.
// Colour: readiness band or community; size: influence index. Up to a few hundred
// leaders get a force-directed layout ('cose'); more are laid out by community on a
// grid of circles (instant), with labels only when zoomed in.
(function () {
  "use strict";
  document.querySelectorAll(".swatch[data-colour]").forEach(function (el) {
    el.style.backgroundColor = el.getAttribute("data-colour");
  });
  var container = document.getElementById("network");
  var form = document.getElementById("network-filter");
  if (!container || !form || typeof cytoscape === "undefined") { return; }
  var source = form.getAttribute("data-source");
  var count = document.getElementById("network-count");
  var error = document.getElementById("network-error");
  var colourBy = document.getElementById("network-colour");
  var more = document.getElementById("network-more");
  var legend = document.getElementById("band-legend");
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];
  var cy = null;
  var current = { params: new URLSearchParams(window.location.search), data: null };

  function communityColour(n) { return n < 0 ? "#c9ced8" : PALETTE[n % PALETTE.length]; }

  function groupPositions(nodes) {
    var groups = {};
    nodes.forEach(function (n) {
      var c = n.data.community;
      (groups[c] = groups[c] || []).push(n);
    });
    var keys = Object.keys(groups).sort(function (a, b) { return groups[b].length - groups[a].length; });
    var columns = Math.max(1, Math.ceil(Math.sqrt(keys.length)));
    var cell = 0;
    keys.forEach(function (k) { cell = Math.max(cell, Math.sqrt(groups[k].length) * 70 + 120); });
    var positions = {};
    keys.forEach(function (k, i) {
      var cx = (i % columns) * cell, cy0 = Math.floor(i / columns) * cell;
      var members = groups[k];
      members.sort(function (a, b) { return b.data.index - a.data.index; });
      var ring = 0, placed = 0;
      while (placed < members.length) {
        var capacity = ring === 0 ? 1 : ring * 8;
        for (var j = 0; j < capacity && placed < members.length; j++, placed++) {
          var angle = (2 * Math.PI * j) / capacity;
          positions[members[placed].data.id] = { x: cx + ring * 34 * Math.cos(angle), y: cy0 + ring * 34 * Math.sin(angle) };
        }
        ring++;
      }
    });
    return positions;
  }

  function paint() {
    if (!cy) { return; }
    var byCommunity = colourBy && colourBy.value === "community";
    cy.nodes().forEach(function (node) {
      node.data("fill", byCommunity ? communityColour(node.data("community")) : node.data("colour"));
    });
    if (legend) { legend.hidden = byCommunity; }
    container.setAttribute("data-colour-by", byCommunity ? "community" : "band");
  }

  function describe(data) {
    if (data.mode === "communities") {
      return data.count + " largest communities of " + data.total + " leaders: click one to see its leaders";
    }
    var shown = data.nodes.length;
    var text = shown + " leader" + (shown === 1 ? "" : "s") + " shown";
    if (data.count > shown) { text += " of " + data.count + " (page " + data.page + " of " + data.pages + ")"; }
    if (data.matched) { text += "; " + data.matched + " match" + (data.matched === 1 ? "" : "es") + " the search, with their ties"; }
    return text;
  }

  function draw(data) {
    current.data = data;
    var large = data.layout !== "cose";
    if (cy) { cy.destroy(); }
    container.removeAttribute("data-ready");
    cy = cytoscape({
      container: container,
      elements: { nodes: data.nodes, edges: data.edges },
      layout: { name: "preset" },
      minZoom: 0.05, maxZoom: 4, wheelSensitivity: 0.3,
      hideEdgesOnViewport: large, textureOnViewport: large,
      style: [
        { selector: "node", style: {
            "background-color": "data(fill)", "width": "data(size)", "height": "data(size)",
            "label": "data(label)", "font-size": 11, "color": "#1d2433",
            "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#fff", "text-outline-width": 2,
            "min-zoomed-font-size": large ? 9 : 7, "border-width": 1, "border-color": "#ffffff" } },
        { selector: "node[?match]", style: { "border-width": 4, "border-color": "#1f5fbf" } },
        { selector: "edge", style: {
            "width": "mapData(strength, 1, 3, 0.6, 2.6)", "line-color": "#aab3c2", "target-arrow-color": "#aab3c2",
            "target-arrow-shape": data.mode === "communities" ? "none" : "triangle", "arrow-scale": 0.7,
            "curve-style": large ? "haystack" : "bezier", "opacity": 0.7 } },
        { selector: "edge[kind = 'reporting_line']", style: { "line-style": "dashed", "line-color": "#c9ced8" } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1f5fbf" } },
        { selector: ".faded", style: { "opacity": 0.15 } }
      ]
    });
    paint();
    cy.on("mouseover", "node", function (event) {
      cy.elements().not(event.target.closedNeighborhood()).addClass("faded");
    });
    cy.on("mouseout", "node", function () { cy.elements().removeClass("faded"); });
    cy.on("tap", "node", function (event) {
      var node = event.target;
      if (node.data("kind") === "community") {
        var params = new URLSearchParams();
        params.set("community", String(node.data("community") + 1));
        if (form.elements.community) { form.elements.community.value = params.get("community"); }
        load(params, true);
        return;
      }
      var url = node.data("url");
      if (url) { window.location.assign(url); }
    });
    window.bellwetherNetwork = cy;
    count.textContent = describe(data);
    if (more) { more.hidden = !(data.page < data.pages); }
    var layout = large
      ? { name: "preset", positions: (function (p) { return function (n) { return p[n.id()]; }; })(groupPositions(data.nodes)), fit: true, padding: 20 }
      : { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 60000; },
          idealEdgeLength: function () { return 90; }, nodeOverlap: 20, gravity: 0.4, padding: 15,
          numIter: 1200, componentSpacing: 60,
          boundingBox: { x1: 0, y1: 0, w: container.clientWidth || 600, h: container.clientHeight || 400 } };
    var running = cy.layout(layout);
    running.one("layoutstop", function () {
      container.setAttribute("data-mode", data.mode);
      container.setAttribute("data-ready", "1");
      container.dispatchEvent(new CustomEvent("network:ready", { detail: { mode: data.mode, nodes: data.nodes.length } }));
    });
    running.run();
  }

  function load(params, push) {
    current.params = params;
    error.hidden = true;
    count.textContent = "loading…";
    container.removeAttribute("data-ready");
    var query = params.toString();
    if (push && window.history && window.history.pushState) {
      window.history.pushState(null, "", window.location.pathname + (query ? "?" + query : "") + "#network-title");
    }
    fetch(source + (query ? "?" + query : ""), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (!result.ok) {
          error.textContent = (result.body.error && result.body.error.message) || "The map could not be loaded.";
          error.hidden = false;
          count.textContent = "";
          container.setAttribute("data-ready", "error");
          return;
        }
        draw(result.body);
      })
      .catch(function () {
        error.textContent = "The map could not be loaded; try again.";
        error.hidden = false;
        container.setAttribute("data-ready", "error");
      });
  }

  function fromForm() {
    var params = new URLSearchParams();
    ["unit", "level", "community", "q"].forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value) { params.set(name, field.value); }
    });
    return params;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(fromForm(), true);
  });
  if (colourBy) { colourBy.addEventListener("change", paint); }
  if (more) {
    more.addEventListener("click", function () {
      var params = new URLSearchParams(current.params.toString());
      params.set("page", String((current.data && current.data.page || 1) + 1));
      load(params, true);
    });
  }
  window.addEventListener("popstate", function () { load(new URLSearchParams(window.location.search), false); });
  var initial = new URLSearchParams(window.location.search);
  initial.delete("cpage");
  load(initial, false);
})();
