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

/*
 * A file over the page's limit (KPI_UPLOAD_MAX_MB) is never sent: Dash's upload component drops it without a
 * word. Say so at once, in the field's own error message, in the server's words.
 */
(function () {
    function check(files) {
        var field = document.getElementById('upload-file-field');
        var message = document.getElementById('upload-too-big');
        if (!field || !message || !files || !files.length) {
            return;
        }
        var limit = Number(field.getAttribute('data-max-bytes'));
        var file = files[0];
        if (limit && file.size > limit) {
            message.textContent = field.getAttribute('data-too-big').replace('{file}', file.name);
            message.hidden = false;
        } else {
            message.textContent = '';
            message.hidden = true;
        }
    }
    document.addEventListener('change', function (event) {
        if (event.target.matches && event.target.matches('.app-upload__drop input[type=file]')) {
            check(event.target.files);
        }
    }, true);
    document.addEventListener('drop', function (event) {
        if (event.target.closest && event.target.closest('.app-upload__drop') && event.dataTransfer) {
            check(event.dataTransfer.files);
        }
    }, true);
})();
