/*
 * "Download the chart (PNG)" and "(SVG)" under every chart: draw the chart as an image that carries its
 * own description, so it can go into a report or a slide as it is. The image holds the panel's headline
 * (the message) and subtitle (what is measured and where) above the chart, and its source line and the
 * date it was made below, all as text in the image, in the product's fonts and colours. Plotly draws it
 * from the figure already on the page (nothing is sent to the server).
 */
(function () {
    const WIDTH = 1200;
    const HEIGHT = 720;
    const LINE = 88;  // characters on one line of the title at this width

    function escape(text) {
        return String(text || '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    }

    function wrap(text, width) {
        const lines = [];
        let line = '';
        for (const word of String(text || '').split(/\s+/).filter(Boolean)) {
            if (line && (line + ' ' + word).length > width) {
                lines.push(line);
                line = word;
            } else {
                line = line ? line + ' ' + word : word;
            }
        }
        if (line) { lines.push(line); }
        return lines.map(escape);
    }

    function textOf(panel, selector) {
        const element = panel ? panel.querySelector(selector) : null;
        return element ? element.textContent.trim() : '';
    }

    function today() {
        return new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
    }

    function described(graph, panel) {
        const headline = wrap(textOf(panel, '.app-indicator-chart__headline'), LINE);
        const subtitle = wrap(textOf(panel, '.app-indicator-chart__subtitle'), LINE + 20);
        const source = textOf(panel, '.app-indicator-chart__source');
        const footer = wrap((source ? source + ' ' : '') + 'Chart made ' + today() + '.', LINE + 40);
        // Plotly spaces every line of a title by the title's own size (22px: about 29px a line), and lifts a
        // title of several lines above its anchor, so the padding grows with the lines.
        const lines = headline.length + subtitle.length;
        const pad = 12 + 14 * Math.max(lines - 1, 0);
        const top = pad + 29 * lines + 50;  // then room for the legend
        const bottom = 90 + 20 * footer.length;  // the axis labels, then the source and date
        const layout = Object.assign({}, graph.layout, {
            width: WIDTH,
            height: HEIGHT,
            title: {
                text: '<b>' + headline.join('<br>') + '</b>'
                    + (subtitle.length ? '<br><span style="font-size:16px">' + subtitle.join('<br>') + '</span>' : ''),
                x: 0, xanchor: 'left', xref: 'paper', y: 1, yanchor: 'top', yref: 'container',
                pad: { t: pad },
                font: { size: 22 },
            },
            margin: Object.assign({}, graph.layout.margin, { t: top, b: bottom }),
            annotations: (graph.layout.annotations || []).concat([{
                text: footer.join('<br>'),
                showarrow: false, xref: 'paper', yref: 'paper', x: 0, y: 0,
                xanchor: 'left', yanchor: 'bottom', yshift: 12 - bottom, align: 'left',
                font: { size: 14, color: '#505a5f' },
            }]),
        });
        return { data: graph.data, layout: layout };
    }

    document.addEventListener('click', function (event) {
        const button = event.target && event.target.closest ? event.target.closest('.app-chart-image') : null;
        if (!button) { return; }
        const holder = document.getElementById(button.dataset.graph);
        const graph = holder ? (holder.classList.contains('js-plotly-plot') ? holder : holder.querySelector('.js-plotly-plot')) : null;
        if (!graph || !window.Plotly) { return; }
        const figure = described(graph, button.closest('.app-indicator-chart'));
        window.Plotly.downloadImage(figure, {
            format: button.dataset.format,
            filename: button.dataset.filename || 'chart',
            width: WIDTH,
            height: HEIGHT,
        });
    });
})();
