// mingbai serve: reload the page after each rebuild; show the build error over the
// last good page while a save is broken. Added by the preview server only, with the
// box's style (#mb-overlay-style) and its words (data-title, data-note) beside it.
(function () {
  if (!window.EventSource) return;
  var me = document.currentScript;
  var words = {
    title: (me && me.getAttribute('data-title')) || '生成失败',
    note: (me && me.getAttribute('data-note')) || ''
  };
  var source = new EventSource('/__mingbai/live');
  function clear() {
    var old = document.getElementById('mingbai-error');
    if (old) old.parentNode.removeChild(old);
  }
  function line(cls, text) {
    var p = document.createElement('p');
    p.className = cls;
    p.textContent = text;
    return p;
  }
  source.addEventListener('reload', function () {
    location.reload();
  });
  source.addEventListener('build-error', function (e) {
    clear();
    // The same markup as the server's (serve/http.rs, overlay()).
    var box = document.createElement('div');
    box.id = 'mingbai-error';
    box.className = 'mb-overlay';
    box.setAttribute('role', 'alert');
    box.appendChild(line('mb-head', words.title));
    if (words.note) box.appendChild(line('mb-note', words.note));
    var pre = document.createElement('pre');
    pre.textContent = e.data;
    box.appendChild(pre);
    document.body.appendChild(box);
  });
})();
