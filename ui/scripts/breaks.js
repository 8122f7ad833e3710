// The break queue's charts, drawn with echarts from the tables the server rendered (which stay as the
// accessible figures): open breaks by age, and amount at risk per currency, never summed across currencies.
document.addEventListener('DOMContentLoaded', () => {
  const tickAll = document.getElementById('tick-all');
  if (tickAll) {
    tickAll.addEventListener('change', () => {
      document.querySelectorAll('#breaks tbody input[type=checkbox]').forEach((box) => { box.checked = tickAll.checked; });
    });
  }
  if (typeof echarts === 'undefined') return;
  const grouping = new Intl.NumberFormat('en-GB');
  const ageing = document.getElementById('ageing-chart');
  if (ageing) {
    const rows = [...document.querySelectorAll('#ageing tbody tr')];
    echarts.init(ageing).setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 28 },
      tooltip: { valueFormatter: (v) => grouping.format(v) + ' breaks' },
      xAxis: { type: 'category', data: rows.map((r) => r.cells[0].textContent) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v) => grouping.format(v) } },
      series: [{ type: 'bar', color: '#b42318', data: rows.map((r) => Number(r.cells[1].dataset.count)) }],
    });
  }
  const atRisk = document.getElementById('at-risk-chart');
  if (atRisk) {
    const cells = [...document.querySelectorAll('#at-risk tbody td[data-minor]')];
    // exact minor units from the server; shown in major units only for drawing
    const money = (currency, v) => new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(v);
    echarts.init(atRisk).setOption({
      animation: false,
      grid: { left: 96, right: 16, top: 16, bottom: 28 },
      tooltip: { formatter: (p) => money(p.name, p.value) },
      xAxis: { type: 'category', data: cells.map((c) => c.dataset.currency) },
      yAxis: { type: 'value', axisLabel: { formatter: (v) => grouping.format(v) } },
      series: [{ type: 'bar', color: '#a15c00', data: cells.map((c) => Number(c.dataset.minor) / 100) }],
    });
  }
});
