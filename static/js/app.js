// Tell the person when an HTMX request fails instead of leaving the page silently as it was.
(function () {
  function notify(text) {
    var list = document.querySelector("ul.messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      list.setAttribute("role", "status");
      document.getElementById("messages").append(list);
    }
    var item = document.createElement("li");
    item.className = "message error";
    item.textContent = text;
    list.append(item);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 404) {
      notify("That item no longer exists in your profile. Reload the page to see the current state.");
    } else if (status === 403) {
      notify("Your session has expired. Sign in again and retry.");
    } else {
      notify("Something went wrong on our side (" + status + "). Nothing was changed; please try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    notify("Could not reach CareerOS. Check your connection and try again.");
  });
})();

// Polled progress ([data-announce]) is read out by screen readers when its words change,
// not at every poll: the page's one live region, #announcer, takes the new text.
(function () {
  function announce() {
    var announcer = document.getElementById("announcer");
    var source = document.querySelector("[data-announce]");
    if (!announcer || !source) return;
    var text = source.textContent.replace(/\s+/g, " ").trim();
    if (announcer.textContent !== text) announcer.textContent = text;
  }
  document.addEventListener("htmx:afterSettle", announce);
})();

