/* giamsat dates: a "pick a date" button beside every day field, opening the device's own
   date picker (<input type=date>) and writing the day chosen as dd/mm/yyyy into the text
   field, which stays what is sent: a phone keypad can always type 27112026 or 27.11.2026
   there instead. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The day a text field holds, as the picker wants it (yyyy-mm-dd), or "".
  function iso(text) {
    var t = (text || "").trim(), m;
    if ((m = /^(\d{1,2})\s*([\/.,-])\s*(\d{1,2})\s*\2\s*(\d{4})$/.exec(t))) {
      return m[4] + "-" + pad(+m[3]) + "-" + pad(+m[1]);
    }
    if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(t))) return m[3] + "-" + m[2] + "-" + m[1];
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return t;
    return "";
  }

  function pickerFor(button) {
    var picker = button.nextElementSibling;
    if (picker && picker.classList.contains("day-picker")) return picker;
    picker = document.createElement("input");
    picker.type = "date";
    picker.className = "day-picker";
    picker.tabIndex = -1;
    picker.min = "2000-01-01";
    picker.setAttribute("aria-label", button.textContent);
    picker.dataset.for = button.dataset.for;
    button.after(picker);
    return picker;
  }

  document.querySelectorAll("button.pick-day").forEach(function (b) { b.hidden = false; });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.pick-day");
    if (!button) return;
    var field = document.getElementById(button.dataset.for);
    var picker = pickerFor(button);
    picker.value = iso(field && field.value);
    try {
      picker.showPicker();
    } catch (error) {  // no showPicker (older phones): show the picker's own field
      picker.classList.add("shown");
      picker.focus();
    }
  });

  document.addEventListener("change", function (event) {
    var picker = event.target;
    if (!picker.classList || !picker.classList.contains("day-picker")) return;
    var field = document.getElementById(picker.dataset.for);
    var parts = picker.value.split("-");
    if (!field || parts.length !== 3) return;
    field.value = parts[2] + "/" + parts[1] + "/" + parts[0];
    field.dispatchEvent(new Event("input", { bubbles: true }));
    picker.classList.remove("shown");
  });
})();
