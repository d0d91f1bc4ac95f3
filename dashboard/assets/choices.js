/*
 * Plain tick boxes from Dash's dcc.Checklist. Dash draws each tick box inside an element with the role
 * "option", in a list with the role "listbox"; a screen reader then meets a control inside a control, and
 * the list has no name. Inside an element with the class "app-plain-checkboxes", those roles (and
 * aria-selected) are taken off whenever Dash draws or redraws the list, leaving what the HTML already says:
 * labelled tick boxes in a fieldset whose legend names them.
 *
 * Used by the choice of areas on the indicator page's trend chart (dashboard/indicator/over_time.py).
 */
(function () {
    var SELECTOR = ".app-plain-checkboxes [role='listbox'], .app-plain-checkboxes [role='option'], " +
        ".app-plain-checkboxes [aria-selected]";

    function plain() {
        document.querySelectorAll(SELECTOR).forEach(function (element) {
            element.removeAttribute("role");
            element.removeAttribute("aria-selected");
        });
    }

    function start() {
        plain();
        new MutationObserver(plain).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["role", "aria-selected"]
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
