/*
 * Printing: a chart is drawn at the width of the screen, wider than an A4 page, so the browser would cut
 * it off. Just before printing, redraw every chart at the printed page's width (A4 portrait less the
 * margins in print.css: 186 mm, about 700 pixels, less a little for the panel) and after printing give it back its screen width.
 */
(function () {
    const PRINT_WIDTH = 680;
    let printing = false;

    function charts() {
        return Array.from(document.querySelectorAll('.js-plotly-plot'));
    }

    function toPrint() {
        if (printing || !window.Plotly) { return; }
        printing = true;
        for (const chart of charts()) {
            chart.dataset.printWidth = 'yes';
            window.Plotly.relayout(chart, { width: PRINT_WIDTH });
        }
    }

    function toScreen() {
        if (!printing || !window.Plotly) { return; }
        printing = false;
        for (const chart of charts()) {
            if (chart.dataset.printWidth) {
                delete chart.dataset.printWidth;
                window.Plotly.relayout(chart, { width: null, autosize: true });
            }
        }
    }

    window.addEventListener('beforeprint', toPrint);
    window.addEventListener('afterprint', toScreen);
    if (window.matchMedia) {
        window.matchMedia('print').addEventListener('change', function (event) {
            if (event.matches) { toPrint(); } else { toScreen(); }
        });
    }
})();
