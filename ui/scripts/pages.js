// Behaviour every page shares (issue 20): the narrow-screen menu, tables that scroll inside their box,
// times in the viewer's own zone, success and error messages after a form post, busy buttons.
(function () {
  const ready = (fn) => (document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', fn) : fn());

  ready(() => {
    const toggle = document.querySelector('.nav-toggle');
    const nav = document.getElementById('main-nav');
    if (toggle && nav) {
      toggle.addEventListener('click', () => {
        const open = nav.classList.toggle('open');
        toggle.setAttribute('aria-expanded', String(open));
      });
    }

    document.querySelectorAll('table.data').forEach((table) => {
      if (table.parentElement && table.parentElement.classList.contains('table-scroll')) return;
      const box = document.createElement('div');
      box.className = 'table-scroll';
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    // a box that scrolls must be reachable by keyboard, and named for screen readers
    document.querySelectorAll('.table-scroll').forEach((box) => {
      if (!box.hasAttribute('tabindex')) box.setAttribute('tabindex', '0');
      if (!box.hasAttribute('role')) box.setAttribute('role', 'region');
      if (!box.hasAttribute('aria-label')) {
        const table = box.querySelector('table');
        let heading = box.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
        const caption = table && table.caption ? table.caption.textContent : null;
        box.setAttribute('aria-label', (caption || (heading ? heading.textContent : document.title.split(' · ')[0])).trim() + ' (table)');
      }
    });

    localTimes(document);
    showFlash();
  });

  // <time datetime=ISO data-local> (rendered by {fmt:when}) shown in the viewer's zone, the zone named
  function localTimes(root) {
    const format = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
      timeZoneName: 'short',
    });
    root.querySelectorAll('time[data-local]').forEach((el) => {
      const at = new Date(el.getAttribute('datetime'));
      if (isNaN(at)) return;
      const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
      el.textContent = `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute} ${parts.timeZoneName}`;
      el.title = el.getAttribute('datetime');
    });
  }
  window.finledgerLocalTimes = localTimes;

  function readCookie(name) {
    const hit = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
    return hit ? hit.substring(name.length + 1) : null;
  }

  // The server answers a browser's form post with a redirect and a short-lived fl_flash cookie:
  // ok|path||message or error|path|field|message. Show it beside the form that was sent.
  function showFlash() {
    const raw = readCookie('fl_flash');
    if (!raw) return;
    document.cookie = 'fl_flash=; Max-Age=0; Path=/';
    const [kind, path, field, message] = decodeURIComponent(raw.replace(/\+/g, ' ')).split('|');
    const label = sessionStorage.getItem('finledger:last-action') || '';
    sessionStorage.removeItem('finledger:last-action');
    const flash = document.getElementById('flash');
    const box = document.createElement('p');
    box.className = 'flash flash-' + (kind === 'ok' ? 'ok' : 'error');
    box.dataset.testid = 'flash';
    box.setAttribute('data-testid', 'flash');
    if (kind === 'ok') {
      box.textContent = (label ? '“' + label + '” done' : 'Done') + (message ? ': ' + message : '.');
      flash.appendChild(box);
      return;
    }
    box.textContent = (label ? '“' + label + '” was refused: ' : 'Refused: ') + message;
    flash.appendChild(box);
    const form = [...document.querySelectorAll('form')].find((f) => new URL(f.action, location.href).pathname === path);
    if (!form) return;
    const saved = JSON.parse(sessionStorage.getItem('finledger:form:' + path) || '{}');
    Object.entries(saved).forEach(([name, value]) => {
      const input = form.elements.namedItem(name);
      if (input && 'value' in input && input.type !== 'hidden') input.value = value;
    });
    const target = (field && form.elements.namedItem(field)) || form.querySelector('input:not([type=hidden]), textarea, select')
      || form.querySelector('button');
    const note = document.createElement('span');
    note.className = 'field-error';
    note.id = 'error-' + Math.random().toString(36).slice(2);
    note.setAttribute('data-testid', 'field-error');
    note.textContent = message;
    if (target) {
      target.insertAdjacentElement('afterend', note);
      if (target.matches('input, textarea, select')) {
        target.setAttribute('aria-invalid', 'true');
        target.setAttribute('aria-describedby', note.id);
      }
      target.focus();
    } else {
      form.appendChild(note);
    }
  }

  // Remember what was typed (to give it back if refused), then keep the form from being sent twice.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((form.method || 'get').toLowerCase() !== 'post') return;
    const path = new URL(form.action, location.href).pathname;
    const values = {};
    [...form.elements].forEach((el) => {
      if (el.name && el.type !== 'hidden' && el.type !== 'password' && el.type !== 'checkbox' && 'value' in el) {
        values[el.name] = el.value;
      }
    });
    sessionStorage.setItem('finledger:form:' + path, JSON.stringify(values));
    const submitter = event.submitter || form.querySelector('button[type=submit], button:not([type])');
    sessionStorage.setItem('finledger:last-action', submitter ? submitter.textContent.trim() : '');
    setTimeout(() => {
      form.querySelectorAll('button, input[type=submit]').forEach((b) => { b.disabled = true; b.setAttribute('aria-busy', 'true'); });
      form.setAttribute('aria-busy', 'true');
      if (form.dataset.progress !== undefined) {
        const bar = document.createElement('progress');
        bar.className = 'working';
        bar.setAttribute('aria-label', form.dataset.progress || 'Working');
        const text = document.createElement('span');
        text.className = 'meta working-text';
        text.setAttribute('role', 'status');
        text.textContent = ' ' + (form.dataset.progress || 'Working…');
        form.append(bar, text);
      }
    }, 0);
  });

  // back/forward cache: a page shown again must not keep its buttons disabled
  window.addEventListener('pageshow', () => {
    document.querySelectorAll('[aria-busy=true]').forEach((el) => {
      el.removeAttribute('aria-busy');
      if ('disabled' in el) el.disabled = false;
    });
    document.querySelectorAll('progress.working, .working-text').forEach((el) => el.remove());
  });
})();
