// Behaviour shared by every page. No inline scripts anywhere: the Content-Security-Policy forbids them.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // A double tap must not send the same form twice.
  if (form.dataset.submitted === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  window.setTimeout(function () { form.dataset.submitted = ""; }, 4000);
});

// At the office desk (≥ 1024 px) the page links stand in the top bar; on a phone they stay in
// the menu under the name button. One set of links, moved, so nothing is shown twice.
(function () {
  var links = document.querySelector("[data-nav-links]");
  var bar = document.querySelector("[data-topnav]");
  if (!links || !bar) { return; }
  var home = links.parentNode;
  var wide = window.matchMedia("(min-width: 1024px)");
  function place() {
    if (wide.matches) { bar.appendChild(links); } else { home.insertBefore(links, home.firstChild); }
  }
  place();
  if (wide.addEventListener) { wide.addEventListener("change", place); }
})();
