// The journal grid, made faster to fill: a cell is saved as soon as it is left (or Enter is
// pressed), with an idempotency key so a retry after a lost answer never writes twice; the
// arrow keys and Enter move between cells; Ctrl+Z undoes the last saved change. The page
// works without this script (the Save button sends every changed cell).
(function () {
  'use strict';
  var table = document.querySelector('table[data-autosave]');
  if (!table) return;
  var form = table.closest('form');
  var status = document.getElementById('journal-status');
  var words = JSON.parse(table.getAttribute('data-words'));
  var csrf = form.querySelector('input[name=csrf]').value;
  var school = form.querySelector('input[name=school]').value;
  var undo = [];

  function say(text) { if (status) status.textContent = text; }
  function key() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + '-' + Math.random().toString(16).slice(2);
  }
  function shown(input) { return form.querySelector('input[name="o' + input.name.slice(1) + '"]'); }
  function message(input, text) {
    var id = 'e' + input.name;
    var el = document.getElementById(id);
    if (!text) {
      if (el) el.remove();
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      input.parentNode.classList.remove('bad');
      return;
    }
    if (!el) {
      el = document.createElement('span');
      el.className = 'field-error';
      el.id = id;
      input.parentNode.appendChild(el);
    }
    el.textContent = text;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.parentNode.classList.add('bad');
  }

  // Sends one cell; retries on network failure with the same key.
  function save(input, value, was, attempt, k, remember) {
    var body = new URLSearchParams();
    body.set('csrf', csrf); body.set('school', school); body.set('cell', input.name);
    body.set('value', value); body.set('was', was); body.set('key', k);
    input.classList.add('saving'); say(words.saving);
    fetch('/journal/cell', { method: 'POST', body: body, credentials: 'same-origin',
                             headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        input.classList.remove('saving');
        if (res.ok) {
          input.value = res.j.value;
          shown(input).value = res.j.value;
          // «5 оп»: a mark and the lateness beside it, set a little smaller to fit the cell.
          input.classList.toggle('two', res.j.value.indexOf(' ') >= 0);
          input.classList.add('saved');
          message(input, null);
          if (remember && was !== res.j.value) undo.push({ input: input, before: was, after: res.j.value });
          say(words.saved);
        } else {
          message(input, res.j.error || words.failed);
          say(words.failed);
        }
      })
      .catch(function () {
        input.classList.remove('saving');
        if (attempt < 5) {
          say(words.offline);
          setTimeout(function () { save(input, value, was, attempt + 1, k, remember); }, 1000 * Math.pow(2, attempt));
        } else {
          message(input, words.failed);
          say(words.failed);
        }
      });
  }

  function commit(input) {
    var was = shown(input).value;
    var value = input.value.trim();
    if (value === was) return;
    input.classList.remove('saved');
    save(input, value, was, 0, key(), true);
  }

  var inputs = Array.prototype.slice.call(table.querySelectorAll('input.mark[name^="c-"]'));
  var rows = {};
  inputs.forEach(function (input) {
    var tr = input.closest('tr');
    var r = Array.prototype.indexOf.call(tr.parentNode.children, tr);
    var c = Array.prototype.indexOf.call(tr.children, input.closest('td'));
    input.dataset.r = r; input.dataset.c = c;
    rows[r + ':' + c] = input;
    input.addEventListener('change', function () { commit(input); });
    input.addEventListener('keydown', function (e) {
      var r = +input.dataset.r, c = +input.dataset.c, next = null, i;
      if (e.key === 'Enter' || e.key === 'ArrowDown') next = rows[(r + 1) + ':' + c];
      else if (e.key === 'ArrowUp') next = rows[(r - 1) + ':' + c];
      else if (e.key === 'ArrowRight') { for (i = c + 1; i < c + 400 && !next; i++) next = rows[r + ':' + i]; }
      else if (e.key === 'ArrowLeft') { for (i = c - 1; i >= 0 && !next; i--) next = rows[r + ':' + i]; }
      else if ((e.ctrlKey || e.metaKey) && e.key === 'z' && undo.length) {
        e.preventDefault();
        var last = undo.pop();
        last.input.value = last.before;
        save(last.input, last.before, last.after, 0, key(), false);
        say(words.undone);
        return;
      }
      if (e.key === 'Enter') e.preventDefault();
      if (next) { e.preventDefault(); commit(input); next.focus(); next.select(); }
    });
  });
})();
