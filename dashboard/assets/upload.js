/*
 * The upload page's file field: Dash's upload component draws its own file input with no id, so the page's
 * label cannot point at it. Whenever one appears, give it the label's and the hint's ids, so a screen reader
 * announces "Upload a file" and the hint when the field takes focus.
 */
(function () {
    function labelUploadInputs() {
        document.querySelectorAll('.app-upload__drop input[type=file]').forEach(function (input) {
            if (!input.hasAttribute('aria-labelledby')) {
                input.setAttribute('aria-labelledby', 'upload-file-label');
                input.setAttribute('aria-describedby', 'upload-file-hint');
            }
        });
    }
    new MutationObserver(labelUploadInputs).observe(document.documentElement, { childList: true, subtree: true });
})();
