// While a recovery job waits or runs, poll its progress and move the bar; reload the page when it ends.
(function () {
  const box = document.getElementById('recovery-job');
  if (!box || !['QUEUED', 'RUNNING'].includes(box.dataset.state)) {
    return;
  }
  const url = '/recovery/jobs/' + box.dataset.job + '.json';
  let done = -1;
  const tick = async () => {
    const response = await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
    if (response.ok) {
      const j = await response.json();
      document.getElementById('job-progress').value = j.percent;
      document.getElementById('job-step').textContent = j.stepsDone + ' of ' + j.stepsTotal + ' steps · next: ' + j.step;
      if (!['QUEUED', 'RUNNING'].includes(j.state) || (done >= 0 && j.stepsDone !== done)) {
        window.location.reload();
        return;
      }
      done = j.stepsDone;
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
