// Client-side filter for the small tables of a page; long lists paginate on the server instead.
document.addEventListener('input', (event) => {
  const input = event.target;
  const tableId = input.dataset && input.dataset.filterTable;
  if (!tableId) return;
  const needle = input.value.trim().toLowerCase();
  document.querySelectorAll(`#${tableId} tbody tr`).forEach((row) => {
    row.hidden = needle !== '' && !row.textContent.toLowerCase().includes(needle);
  });
});
