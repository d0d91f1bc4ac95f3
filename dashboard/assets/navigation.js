/*
 * The service navigation in the browser: after each page change, mark the link to the current page with
 * aria-current="page" (read out by screen readers) and the active style. Each link's href says which page
 * it is for, so no path is written here.
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    navigation: {
        markCurrent: function (pathname, hrefs) {
            const clean = (p) => (p || '/').replace(/\/+$/, '') || '/';
            const here = clean(pathname);
            const current = (hrefs || []).map(
                (href) => clean(new URL(href, window.location.origin).pathname) === here
            );
            return [
                current.map((yes) => (yes ? 'page' : null)),
                current.map((yes) => 'app-service-navigation__item' + (yes ? ' app-service-navigation__item--active' : '')),
            ];
        },
    },
});
