// The influence network (Cytoscape.js): colour = readiness band, size = influence index.
// Up to a few hundred leaders get a force-directed layout ('cose'); a larger map is laid
// out by community on a grid of circles (instant), with labels only when zoomed in.
(function () {
  "use strict";
  var source = document.getElementById("network-data");
  var container = document.getElementById("network");
  document.querySelectorAll(".swatch[data-colour]").forEach(function (el) {
    el.style.backgroundColor = el.getAttribute("data-colour");
  });
  if (!source || !container || typeof cytoscape === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var large = data.layout !== "cose";

  function communityPositions(nodes) {
    var groups = {};
    nodes.forEach(function (n) {
      var c = n.data.group;
      (groups[c] = groups[c] || []).push(n);
    });
    var keys = Object.keys(groups).sort(function (a, b) { return groups[b].length - groups[a].length; });
    var columns = Math.max(1, Math.ceil(Math.sqrt(keys.length)));
    var cell = 0;
    keys.forEach(function (k) { cell = Math.max(cell, Math.sqrt(groups[k].length) * 70 + 120); });
    var positions = {};
    keys.forEach(function (k, i) {
      var cx = (i % columns) * cell, cy = Math.floor(i / columns) * cell;
      var members = groups[k];
      // Concentric rings inside the cell, most influential in the middle.
      members.sort(function (a, b) { return b.data.index - a.data.index; });
      var ring = 0, placed = 0;
      while (placed < members.length) {
        var capacity = ring === 0 ? 1 : ring * 8;
        for (var j = 0; j < capacity && placed < members.length; j++, placed++) {
          var angle = (2 * Math.PI * j) / capacity;
          positions[members[placed].data.id] = { x: cx + ring * 34 * Math.cos(angle), y: cy + ring * 34 * Math.sin(angle) };
        }
        ring++;
      }
    });
    return positions;
  }

  var layout;
  if (large) {
    var positions = communityPositions(data.nodes);
    layout = { name: "preset", positions: function (node) { return positions[node.id()]; }, fit: true, padding: 20 };
  } else {
    layout = { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 60000; },
               idealEdgeLength: function () { return 90; }, nodeOverlap: 20, gravity: 0.4, padding: 15,
               numIter: 1200, componentSpacing: 60,
               boundingBox: { x1: 0, y1: 0, w: container.clientWidth, h: container.clientHeight } };
  }

  var cy = cytoscape({
    container: container,
    elements: { nodes: data.nodes, edges: data.edges },
    layout: { name: "preset" },
    minZoom: 0.05,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    hideEdgesOnViewport: large,
    textureOnViewport: large,
    style: [
      { selector: "node", style: {
          "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
          "label": "data(label)", "font-size": "mapData(index, 0, 100, 9, 17)", "color": "#1d2433",
          "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#fff", "text-outline-width": 2,
          "min-zoomed-font-size": large ? 9 : 7, "border-width": 1, "border-color": "#ffffff" } },
      { selector: "edge", style: {
          "width": "mapData(strength, 1, 3, 0.6, 2.6)", "line-color": "#aab3c2", "target-arrow-color": "#aab3c2",
          "target-arrow-shape": "triangle", "arrow-scale": 0.7, "curve-style": large ? "haystack" : "bezier", "opacity": 0.7 } },
      { selector: "edge[kind = 'reporting_line']", style: { "line-style": "dashed", "line-color": "#c9ced8" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#1f5fbf" } },
      { selector: ".faded", style: { "opacity": 0.15 } }
    ]
  });
  // Hovering a leader highlights their neighbourhood.
  cy.on("mouseover", "node", function (event) {
    var hood = event.target.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
  });
  cy.on("mouseout", "node", function () { cy.elements().removeClass("faded"); });
  cy.on("tap", "node", function (event) {
    var url = event.target.data("url");
    if (url) { window.location.assign(url); }
  });
  window.bellwetherNetwork = cy;
  // Ready (for people and tests) once the layout has placed everyone.
  var running = cy.layout(layout);
  running.one("layoutstop", function () { container.setAttribute("data-ready", "1"); });
  running.run();
})();
