// Drag and drop onto the upload form's file input; the form still posts as a plain form.
(function () {
  var zone = document.querySelector("[data-dropzone]");
  if (!zone) return;
  var input = zone.querySelector("input[type=file]");
  var list = zone.querySelector("[data-dropzone-list]");
  var stream = document.querySelector("select[name=stream]");
  var fieldset = document.querySelector("[data-new-stream]");

  function showFiles() {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
      list.append(item);
    });
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
})();
