/* Keep NIKs out of page addresses: a GET form (a list's filters) holding more than a region's
   worth of NIK digits is not sent; on the PMI list the value goes to the POST "Open by NIK" box. */
(function () {
  "use strict";
  var LONG_DIGITS = /\d{7,}/;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if ((form.method || "get").toLowerCase() !== "get") { return; }
    var fields = form.querySelectorAll("input[type=text], input[type=search], input:not([type])");
    for (var i = 0; i < fields.length; i++) {
      var value = fields[i].value.replace(/[\s.\-]/g, "");
      if (!LONG_DIGITS.test(value)) { continue; }
      event.preventDefault();
      var box = document.getElementById("find-nik");
      if (box && /^\d{16}$/.test(value)) {
        box.value = value;
        fields[i].value = "";
        box.form.submit();
      } else {
        fields[i].setCustomValidity(document.body.dataset.nikWarning || "");
        fields[i].reportValidity();
        fields[i].addEventListener("input", function () { this.setCustomValidity(""); }, { once: true });
      }
      return;
    }
  }, true);
}());
