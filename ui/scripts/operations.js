// The lag chart of the operations page, drawn with echarts from the status table the server rendered (which
// stays as the accessible figures): lag per dataset in minutes beside its freshness objective.
document.addEventListener('DOMContentLoaded', () => {
  const chart = document.getElementById('lag-chart');
  if (!chart || typeof echarts === 'undefined') return;
  const rows = [...document.querySelectorAll('#status-grid tbody tr')];
  const names = rows.map((r) => r.dataset.dataset);
  const lag = rows.map((r) => {
    const v = r.querySelector('[data-lag]').dataset.lag;
    return v === '' ? null : Math.round(Number(v) / 6) / 10;
  });
  const slo = rows.map((r) => Math.round(Number(r.querySelector('[data-lag]').dataset.slo) / 6) / 10);
  echarts.init(chart).setOption({
    animation: false,
    legend: { data: ['lag (min)', 'objective (min)'] },
    grid: { left: 56, right: 16, top: 32, bottom: 96 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: names, axisLabel: { rotate: 40 } },
    yAxis: { type: 'log', name: 'minutes', min: 0.1 },
    series: [
      { name: 'lag (min)', type: 'bar', data: lag.map((v, i) => ({ value: v, itemStyle: { color: v !== null && v > slo[i] ? '#b42318' : '#1f7a3d' } })) },
      { name: 'objective (min)', type: 'line', step: 'middle', color: '#a15c00', data: slo },
    ],
  });
});
