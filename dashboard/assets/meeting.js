/*
 * Meeting mode in the browser: Page Down, the right and down arrows and the space bar follow the screen's
 * "Next" link; Page Up and the left and up arrows its "Previous" link (a presentation clicker sends Page Up
 * and Page Down). Following the page's own links keeps the address naming the screen shown. F fills the
 * whole screen (Esc leaves it). Nothing happens on other pages, or while typing in a form field.
 */
(function () {
    const NEXT = ['PageDown', 'ArrowRight', 'ArrowDown', ' '];
    const PREVIOUS = ['PageUp', 'ArrowLeft', 'ArrowUp'];

    function fullScreen() {
        const root = document.documentElement;
        if (document.fullscreenElement) {
            document.exitFullscreen();
        } else if (root.requestFullscreen) {
            root.requestFullscreen().catch(function () { /* refused by the browser: stay as we are */ });
        }
    }

    document.addEventListener('keydown', function (event) {
        if (!document.getElementById('meeting')) { return; }
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }
        const target = event.target;
        if (target && target.closest && target.closest('input, select, textarea, [contenteditable="true"]')) { return; }
        let link = null;
        if (NEXT.includes(event.key)) {
            link = document.querySelector('a#meeting-next');
        } else if (PREVIOUS.includes(event.key)) {
            link = document.querySelector('a#meeting-previous');
        } else if (event.key === 'f' || event.key === 'F') {
            event.preventDefault();
            fullScreen();
            return;
        } else {
            return;
        }
        event.preventDefault();
        if (link) { link.click(); }
    });

    document.addEventListener('click', function (event) {
        if (event.target && event.target.closest && event.target.closest('#meeting-full-screen')) {
            fullScreen();
        }
    });
})();
