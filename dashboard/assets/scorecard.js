/*
 * The scorecard's filters in the browser: choosing an option updates the link at once (no submit button
 * needed), and Dash's page router rebuilds the page for the new link. The form still works without
 * JavaScript: it submits as an ordinary GET form. The filters are written in the order the server writes
 * them (the form's data-order), so the same view always has the same link.
 */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    scorecard: {
        liveFilters: function (formId) {
            const form = document.getElementById(formId);
            if (!form) { return window.dash_clientside.no_update; }
            const wanted = window.__scorecardFocus;
            if (wanted && (document.activeElement === document.body || !document.activeElement)) {
                const field = document.getElementById(wanted);
                if (field) { field.focus(); }
            }
            if (form.dataset.live === 'true') { return window.dash_clientside.no_update; }
            form.dataset.live = 'true';
            const order = (form.dataset.order || '').split(',').filter(Boolean);
            const update = () => {
                const params = [];
                for (const name of order) {
                    const field = form.elements.namedItem(name);
                    if (field && field.value && field.value !== (field.dataset.default || '')) {
                        params.push(encodeURIComponent(name) + '=' + encodeURIComponent(field.value));
                    }
                }
                const search = params.length ? '?' + params.join('&') : '';
                window.__scorecardFocus = document.activeElement ? document.activeElement.id : null;
                if (search === window.location.search) { return; }
                window.history.pushState({}, '', window.location.pathname + search);
                window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
            };
            form.addEventListener('change', update);
            form.addEventListener('submit', (event) => { event.preventDefault(); update(); });
            return window.dash_clientside.no_update;
        },
    },
});
