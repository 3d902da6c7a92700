// Nexchange console: live progress of a running cycle, and a mailbox page that follows its running sync. Everything
// else works without this script (forms, links, confirmation pages).
(function () {
  'use strict';
  function poll(url, every, onData) {
    function tick() {
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && onData(data) !== false) { setTimeout(tick, every); } })
        .catch(function () { setTimeout(tick, every * 3); });
    }
    setTimeout(tick, every);
  }

  var progress = document.getElementById('progress');
  if (progress) {
    var wasRunning = progress.dataset.running === 'true';
    poll('/api/progress', 2000, function (p) {
      var text = document.getElementById('progress-text');
      var bar = document.getElementById('progress-bar');
      if (p.running) {
        if (!bar) {
          progress.textContent = '';
          var label = document.createElement('b');
          label.textContent = 'Cycle running: ';
          text = document.createElement('span');
          text.id = 'progress-text';
          bar = document.createElement('progress');
          bar.id = 'progress-bar';
          progress.append(label, text, document.createElement('br'), bar);
        }
        text.textContent = p.text;
        bar.max = Math.max(1, p.total);
        bar.value = p.done;
        wasRunning = true;
      } else if (wasRunning) {
        wasRunning = false;
        progress.textContent = 'The cycle has finished. ';
        var reload = document.createElement('a');
        reload.href = window.location.href;
        reload.id = 'reload';
        reload.textContent = 'Reload to see the results';
        progress.append(reload);
      }
    });
  }

  var mailbox = document.getElementById('mailbox');
  if (mailbox && mailbox.dataset.running === 'true') {
    poll('/api/mailbox?m=' + encodeURIComponent(mailbox.dataset.mailbox), 1000, function (m) {
      if (!m.running) {
        var url = new URL(window.location.href);
        url.searchParams.set('notice', 'The sync has finished: ' + m.state + '.');
        window.location.replace(url.toString());
        return false;
      }
    });
  }
})();
