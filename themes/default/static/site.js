// mingbai default theme. Opened straight from disk (file://), a link to a folder shows
// a file listing instead of the page: point such links at the folder's index.html.
(function () {
  if (location.protocol !== "file:") return;
  document.querySelectorAll("form[action]").forEach(function (f) {
    var a = f.getAttribute("action");
    if (a.slice(-1) === "/") f.setAttribute("action", a + "index.html");
  });
  document.querySelectorAll("a[href]").forEach(function (a) {
    var h = a.getAttribute("href");
    if (/^[a-z]+:/i.test(h) || h.charAt(0) === "#") return;
    var parts = h.split("#");
    if (parts[0].slice(-1) === "/" || parts[0] === "." || parts[0] === "..") {
      parts[0] = parts[0].replace(/\/?$/, "/") + "index.html";
      a.setAttribute("href", parts.join("#"));
    }
  });
})();
