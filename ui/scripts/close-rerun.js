// While a month's rerun waits or runs, poll its progress and move the bar; reload the page when it ends.
(function () {
  const box = document.getElementById('rerun');
  if (!box || !['QUEUED', 'RUNNING'].includes(box.dataset.state)) {
    return;
  }
  const url = '/close/' + box.dataset.period + '/reruns/' + box.dataset.rerun + '.json';
  const tick = async () => {
    const response = await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
    if (response.ok) {
      const r = await response.json();
      document.getElementById('rerun-progress').value = r.percent;
      document.getElementById('rerun-step').textContent = r.stepsDone + ' of ' + r.stepsTotal + ' steps · next: ' + r.step;
      if (!['QUEUED', 'RUNNING'].includes(r.state)) {
        window.location.reload();
        return;
      }
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
