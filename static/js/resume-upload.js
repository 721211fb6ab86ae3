// The upload form: drag and drop, size and count checked before sending, and sent by
// fetch so that an error leaves the chosen files and stream in place. Without
// JavaScript the form still posts as a plain form.
(function () {
  var form = document.querySelector("[data-upload-form]");
  if (!form) return;
  var zone = form.querySelector("[data-dropzone]");
  var input = zone.querySelector("input[type=file]");
  var list = zone.querySelector("[data-dropzone-list]");
  var stream = form.querySelector("select[name=stream]");
  var fieldset = form.querySelector("[data-new-stream]");
  var problems = document.getElementById("upload-problems");
  var status = form.querySelector("[data-upload-status]");
  var submit = form.querySelector("[data-upload-submit]");
  var maxBytes = parseInt(form.dataset.maxBytes, 10);
  var maxFiles = parseInt(form.dataset.maxFiles, 10);
  var maxSize = form.dataset.maxSize;

  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.ceil(bytes / 1024) + " KB";
  }
  function files() { return Array.prototype.slice.call(input.files); }
  function tooLarge(file) { return file.size > maxBytes; }

  function showProblems(lines) {
    problems.textContent = "";
    if (!lines.length) return;
    var ul = document.createElement("ul");
    ul.className = "errorlist nonfield";
    ul.setAttribute("role", "alert");
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      ul.append(li);
    });
    problems.append(ul);
  }
  function check() {
    var lines = [];
    var chosen = files();
    if (chosen.length > maxFiles) {
      lines.push("You chose " + chosen.length + " files; upload at most " + maxFiles + " at once.");
    }
    chosen.filter(tooLarge).forEach(function (file) {
      lines.push(file.name + " is " + size(file.size) + ", over the " + maxSize +
                 " a file may be: it will be left out, the others uploaded.");
    });
    return lines;
  }
  function showFiles() {
    list.textContent = "";
    files().forEach(function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + size(file.size) + ")" + (tooLarge(file) ? " — too large" : "");
      if (tooLarge(file)) item.className = "too-large";
      list.append(item);
    });
    showProblems(check());
  }
  function toggleNewStream() {
    if (stream && fieldset) fieldset.disabled = stream.value !== "";
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    showFiles();
  });
  input.addEventListener("change", showFiles);
  if (stream) stream.addEventListener("change", toggleNewStream);
  toggleNewStream();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = files();
    if (!chosen.length) {
      showProblems(["Choose at least one resume file."]);
      return;
    }
    if (chosen.length > maxFiles) {
      showProblems(check());
      return;
    }
    var sending = chosen.filter(function (file) { return !tooLarge(file); });
    if (!sending.length) {
      showProblems(check().concat(["Nothing left to upload: choose smaller files."]));
      return;
    }
    var data = new FormData(form);
    data.delete(input.name);
    sending.forEach(function (file) { data.append(input.name, file, file.name); });
    // Named, so the page after the upload still says which files were left out.
    chosen.filter(tooLarge).forEach(function (file) { data.append("left_out", file.name); });
    submit.disabled = true;
    status.textContent = "Uploading " + sending.length + " file" + (sending.length === 1 ? "" : "s") + "…";
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    }).then(function (response) {
      var target = response.headers.get("HX-Redirect");
      if (target) {
        window.location.assign(target);
        return;
      }
      return response.text().then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#upload-problems");
        if (fresh) {
          problems.replaceWith(fresh);
          problems = fresh;
        } else {
          showProblems(["The upload failed (" + response.status + "). Your files are still chosen: try again."]);
        }
      });
    }).catch(function () {
      showProblems(["Could not reach CareerOS. Your files are still chosen: check your connection and try again."]);
    }).finally(function () {
      submit.disabled = false;
      status.textContent = "";
    });
  });
})();
