// mingbai serve: reload the page after each rebuild; show the build error over the
// last good page while a save is broken. Added by the preview server only.
(function () {
  if (!window.EventSource) return;
  var source = new EventSource('/__mingbai/live');
  function clear() {
    var old = document.getElementById('mingbai-error');
    if (old) old.parentNode.removeChild(old);
  }
  source.addEventListener('reload', function () {
    location.reload();
  });
  source.addEventListener('build-error', function (e) {
    clear();
    var box = document.createElement('div');
    box.id = 'mingbai-error';
    box.setAttribute('role', 'alert');
    box.style.cssText = 'position:fixed;inset:0;z-index:99999;overflow:auto;' +
      'background:rgba(20,20,20,.92);color:#fff;padding:1.5em;font:15px/1.5 monospace';
    var title = document.createElement('p');
    title.style.cssText = 'font:bold 18px sans-serif;color:#ff8a80;margin:0 0 1em';
    title.textContent = '构建失败：页面显示的是上一次成功构建的内容。修正后保存即自动刷新。';
    var pre = document.createElement('pre');
    pre.style.cssText = 'white-space:pre-wrap;margin:0';
    pre.textContent = e.data;
    box.appendChild(title);
    box.appendChild(pre);
    document.body.appendChild(box);
  });
})();
