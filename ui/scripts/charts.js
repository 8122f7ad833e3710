// Charts drawn with echarts (served from its Maven webjar) from what the server rendered; the tables stay
// as the accessible figures. Control totals per layer across dates (overview) and a heat strip of a
// date's 96 windows (a readiness date page).
document.addEventListener('DOMContentLoaded', () => {
  if (typeof echarts === 'undefined') return;
  const grouping = new Intl.NumberFormat('en-GB');

  const layerChart = document.getElementById('layer-chart');
  const picker = document.getElementById('layer-chart-dataset');
  if (layerChart && picker) {
    const layers = [...document.querySelectorAll('#overview-table thead th')].slice(3).map((th) => th.textContent);
    const rows = [...document.querySelectorAll('#overview-table tbody tr')].filter((r) => r.cells.length > 3);
    const datasets = [...new Set(rows.map((r) => r.cells[0].textContent.trim()))];
    datasets.forEach((d) => picker.add(new Option(d, d)));
    const chart = echarts.init(layerChart);
    const draw = () => {
      const mine = rows.filter((r) => r.cells[0].textContent.trim() === picker.value)
        .sort((a, b) => a.cells[2].textContent.localeCompare(b.cells[2].textContent));
      const number = (cell) => { const t = cell.firstChild ? cell.firstChild.textContent.replace(/[^0-9]/g, '') : ''; return t === '' ? null : Number(t); };
      chart.setOption({
        animation: false,
        legend: { top: 0 },
        grid: { left: 64, right: 16, top: 32, bottom: 28 },
        tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? '—' : grouping.format(v)) },
        xAxis: { type: 'category', data: mine.map((r) => r.cells[2].textContent.trim()) },
        yAxis: { type: 'value', axisLabel: { formatter: (v) => grouping.format(v) } },
        series: layers.map((layer, i) => ({ name: layer, type: 'bar', data: mine.map((r) => number(r.cells[3 + i])) })),
      }, true);
    };
    picker.addEventListener('change', draw);
    if (datasets.length) draw();
  }

  const strip = document.getElementById('heat-strip');
  if (strip && strip.dataset.windows) {
    const windows = strip.dataset.windows.split(' ').filter(Boolean).map((w) => w.split('='));
    const value = (s) => (s === 'BLOCKED' ? 3 : s === 'READY' ? 0 : s === 'READY_WITH_EXCEPTION' ? 1 : 2);
    echarts.init(strip).setOption({
      animation: false,
      grid: { left: 8, right: 8, top: 4, bottom: 22 },
      tooltip: { formatter: (p) => windows[p.value[0]][0] + ': ' + windows[p.value[0]][1].toLowerCase().replace(/_/g, ' ') },
      xAxis: { type: 'category', data: windows.map((w) => w[0]), axisLabel: { interval: 11 } },
      yAxis: { type: 'category', data: [''], show: false },
      visualMap: { show: false, type: 'piecewise', dimension: 2, pieces: [
        { value: 0, color: '#1f7a3f' }, { value: 1, color: '#e0a030' }, { value: 2, color: '#b8c0cc' }, { value: 3, color: '#b42318' }] },
      series: [{ type: 'heatmap', data: windows.map((w, i) => [i, 0, value(w[1])]), itemStyle: { borderColor: '#fff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: '#000' } } }],
    });
  }
});
