// Draws the lineage graph of a page with cytoscape (served from its webjar): zoom, select a node to
// see it in words, open its details, or expand its neighbours from /lineage/graph.json.
(function () {
  const container = document.getElementById('lineage-graph');
  const data = document.getElementById('graph-data');
  if (!container || !data || typeof cytoscape === 'undefined') return;
  const tones = { good: '#2e7d32', warn: '#b26a00', bad: '#c62828', neutral: '#5c6b8a' };
  const cy = cytoscape({
    container,
    elements: JSON.parse(data.textContent),
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: {
          'label': 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 180, 'font-size': 10,
          'text-valign': 'bottom', 'text-margin-y': 4, 'width': 22, 'height': 22,
          'background-color': (n) => tones[n.data('tone')] || tones.neutral } },
      { selector: 'node[kind = "run"], node[kind = "job"]', style: { 'shape': 'round-rectangle', 'width': 30 } },
      { selector: 'node[kind = "object"]', style: { 'shape': 'diamond' } },
      { selector: 'node[tone = "bad"]', style: { 'border-width': 3, 'border-color': '#000', 'border-style': 'double' } },
      { selector: 'node:selected', style: { 'overlay-opacity': 0.15, 'overlay-color': '#fca311' } },
      { selector: 'edge', style: {
          'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 1.5, 'line-color': '#9aa5bd',
          'target-arrow-color': '#9aa5bd', 'label': 'data(label)', 'font-size': 8, 'color': '#5c6b8a' } }
    ],
    layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.1, padding: 20 }
  });
  window.lineageGraph = cy;
  const panel = document.getElementById('graph-selection');
  const text = (s) => { const d = document.createElement('div'); d.textContent = s; return d.innerHTML; };
  function show(node) {
    const d = node.data();
    const words = { good: 'good', warn: 'attention: something upstream is blocked or still running',
      bad: 'blocked or failed', neutral: 'no readiness recorded' }[d.tone] || '';
    panel.innerHTML = '<h3>' + text(d.kind) + '</h3><p>' + text(d.label).replace(/\n/g, '<br>') + '</p>'
      + '<p class="meta">Quality: ' + text(words) + '</p>'
      + (d.href ? '<p><a href="' + text(d.href) + '" data-testid="node-details">Open details</a></p>' : '')
      + (d.expand ? '<p><button type="button" data-testid="node-expand">Expand neighbours</button></p>' : '');
    const expand = panel.querySelector('button');
    if (expand) expand.addEventListener('click', () => grow(d.expand));
  }
  async function grow(nodeId) {
    const response = await fetch('/lineage/graph.json?node=' + encodeURIComponent(nodeId), { credentials: 'same-origin' });
    if (!response.ok) { panel.insertAdjacentHTML('beforeend', '<p class="meta">Could not expand: HTTP ' + response.status + '</p>'); return; }
    const added = (await response.json()).filter((e) => cy.getElementById(e.data.id).empty());
    // keep only edges whose ends are (or become) part of the graph
    cy.add(added.filter((e) => e.group === 'nodes'));
    cy.add(added.filter((e) => e.group === 'edges' && !cy.getElementById(e.data.source).empty()
      && !cy.getElementById(e.data.target).empty()));
    cy.layout({ name: 'breadthfirst', directed: true, spacingFactor: 1.1, padding: 20 }).run();
    container.dataset.expanded = String(added.length);
  }
  cy.on('tap', 'node', (event) => show(event.target));
  cy.on('dbltap', 'node', (event) => { const href = event.target.data('href'); if (href) window.location.href = href; });
  document.querySelectorAll('[data-graph]').forEach((button) => button.addEventListener('click', () => {
    const action = button.dataset.graph;
    if (action === 'fit') cy.fit(undefined, 20);
    else cy.zoom({ level: cy.zoom() * (action === 'zoom-in' ? 1.25 : 0.8), renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  }));
  container.dataset.ready = String(cy.nodes().length);
})();
