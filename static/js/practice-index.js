// 口语练习: the search box filters the list as one types (the GET form does the same on the
// server without JavaScript). Groups with a match open; the others hide.
(function () {
  "use strict";

  function init() {
    var box = document.getElementById("q");
    if (!box) return;
    var groups = document.querySelectorAll("[data-group]");
    var none = document.getElementById("no-match");
    box.addEventListener("input", function () {
      var words = box.value.trim().split(/\s+/).filter(Boolean);
      var shown = 0;
      groups.forEach(function (group) {
        var inGroup = 0;
        group.querySelectorAll("[data-search]").forEach(function (row) {
          var text = row.getAttribute("data-search");
          var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.hidden = !hit;
          if (hit) inGroup++;
        });
        group.hidden = inGroup === 0;
        if (words.length) group.open = inGroup > 0;
        shown += inGroup;
      });
      if (none) none.hidden = shown > 0;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
