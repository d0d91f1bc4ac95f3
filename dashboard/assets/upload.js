/*
 * The upload page's file field (dashboard/pages/upload.py). A chosen (or dropped) file is sent at once to the
 * upload route (dashboard/upload_route.py) as multipart/form-data, with the page's security token in the
 * X-CSRFToken header as Dash's own requests carry it; how much has been sent is said in words as it goes.
 * The server streams the file to disk and answers with a token, which goes into the page's
 * "upload-received" store: that starts the preview callback. A file over the page's limit
 * (KPI_UPLOAD_MAX_MB) is never sent: the field says so at once, in the server's words; a refusal from the
 * server (not allowed, not a file the dashboard reads) is shown in the same place.
 */
(function () {
    // The file input, drawn into its box (the page gives the box its accepted types) whenever the page
    // shows one; the page's label and hint already point at its id.
    function drawInput() {
        var box = document.getElementById('upload-file-drop');
        if (box && !document.getElementById('upload-file-input')) {
            var input = document.createElement('input');
            input.type = 'file';
            input.id = 'upload-file-input';
            input.className = 'app-upload__input';
            input.accept = box.getAttribute('data-accept');
            input.setAttribute('aria-describedby', 'upload-file-hint');
            box.appendChild(input);
        }
    }
    new MutationObserver(drawInput).observe(document.documentElement, { childList: true, subtree: true });

    var RECEIVED = { type: 'upload-received', form: 'upload' };

    function size(bytes) {
        if (bytes < 1024 * 1024) {
            return Math.max(1, Math.round(bytes / 1024)) + ' KB';
        }
        return (bytes / (1024 * 1024)).toFixed(1) + ' MB';
    }

    function cookie(name) {
        var found = document.cookie.split('; ').filter(function (part) {
            return part.indexOf(name + '=') === 0;
        })[0];
        return found ? decodeURIComponent(found.slice(name.length + 1)) : '';
    }

    function say(id, words) {
        var element = document.getElementById(id);
        if (element) {
            element.textContent = words;
            element.hidden = !words;
        }
    }

    function send(file) {
        var field = document.getElementById('upload-file-field');
        if (!field || !file) {
            return;
        }
        say('upload-file-error', '');
        var limit = Number(field.getAttribute('data-max-bytes'));
        if (limit && file.size > limit) {
            say('upload-file-error', field.getAttribute('data-too-big').replace('{file}', file.name));
            say('upload-progress', '');
            return;
        }
        var form = new FormData();
        form.append('file', file, file.name);
        var request = new XMLHttpRequest();
        request.open('POST', field.getAttribute('data-upload-url'));
        request.setRequestHeader('X-CSRFToken', cookie('_csrf_token'));
        say('upload-progress', 'Sending ' + file.name + '\u2026');
        request.upload.addEventListener('progress', function (event) {
            if (event.lengthComputable) {
                var percent = Math.floor((100 * event.loaded) / event.total);
                say('upload-progress', 'Sending ' + file.name + ': ' + size(event.loaded) + ' of ' +
                    size(event.total) + ' sent (' + percent + '%).');
            }
        });
        request.addEventListener('load', function () {
            if (request.status === 200) {
                var answer = JSON.parse(request.responseText);
                say('upload-progress', 'Sent ' + file.name + ' (' + size(file.size) + ').');
                window.dash_clientside.set_props(RECEIVED, { data: answer });
            } else {
                say('upload-progress', '');
                say('upload-file-error', request.responseText);
            }
        });
        request.addEventListener('error', function () {
            say('upload-progress', '');
            say('upload-file-error', file.name + ' could not be sent: the connection to the dashboard was ' +
                'lost. Check the connection and try again.');
        });
        request.send(form);
    }

    function dropZone(event) {
        return event.target.closest ? event.target.closest('.app-upload__drop') : null;
    }
    document.addEventListener('dragover', function (event) {
        if (dropZone(event)) {
            event.preventDefault();  // lets the file be dropped anywhere in the box
        }
    });
    document.addEventListener('drop', function (event) {
        if (dropZone(event) && event.dataTransfer && event.dataTransfer.files.length) {
            event.preventDefault();
            send(event.dataTransfer.files[0]);
        }
    });
    document.addEventListener('change', function (event) {
        if (event.target.id === 'upload-file-input' && event.target.files && event.target.files.length) {
            send(event.target.files[0]);
            event.target.value = '';  // so choosing the same file again sends it again
        }
    }, true);
})();
