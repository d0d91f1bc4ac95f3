/*
 * The indicator page in the browser: keeping the reader's place when a link changes the view.
 *
 * Links with the class "app-keeps-focus" (KEEPS_FOCUS in dashboard/indicator/view.py) change the view in
 * place: the area choice, the trend/SPC switch and the confidence-interval toggle. When one is followed,
 * its id is remembered; after Dash has rebuilt the page (the view store changes), the focus returns to the
 * control with the same id, where the reader was, rather than to the top of the page.
 *
 * Wired in dashboard/indicator/callbacks.py as
 * ClientsideFunction(namespace="indicator", function_name="keepFocus").
 */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.indicator = {
    keepFocus: function (view) {
        const key = "hcp-indicator-focus";
        if (!window.hcpIndicatorFocus) {
            window.hcpIndicatorFocus = true;
            document.addEventListener("click", function (event) {
                const link = event.target.closest && event.target.closest(".app-keeps-focus");
                if (link && link.id) { window.sessionStorage.setItem(key, link.id); }
            }, true);
        }
        const id = window.sessionStorage.getItem(key);
        if (id) {
            window.sessionStorage.removeItem(key);
            window.requestAnimationFrame(function () {
                const element = document.getElementById(id);
                if (element) {
                    element.focus({preventScroll: true});
                    element.scrollIntoView({block: "center"});
                }
            });
        }
        return window.dash_clientside.no_update;
    }
};
