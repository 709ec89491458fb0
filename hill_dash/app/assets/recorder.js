/*
 * Think-aloud recorder (the widget of hill_dash/app/views/recorder.py; ids as in hill_dash/app/ids.py, REC_*).
 *
 * "Start" asks for the microphone, creates a recording on the server and records with MediaRecorder in ~2 s
 * slices. Each slice is uploaded the moment it exists (POST /audio/recordings/<id>/chunks/<seq>?offset_ms=...,
 * the participant's token in X-Hill-Token), one at a time and in order, retried with back-off until the server
 * has it, so a crash loses only the seconds not yet sent. "Stop" sends the rest and asks the server to join the
 * slices (they continue one stream, so the joined file plays). Leaving the page hands the unsent slices and the
 * finish request to navigator.sendBeacon; leaving the task inside the app (the widget disappears) stops it too.
 *
 * State lives in `current`, the one recording of this browser page. A reload ends the recording like leaving does,
 * but first notes it in sessionStorage (this tab only); the reloaded page of the same task starts the next
 * recording by itself, naming the one it continues and the gap, so the server stores the gap. If the microphone
 * cannot be had without asking, the page says so once and "Start" goes on.
 */
(function () {
    "use strict";

    var ROOT = "rec-recorder", START = "rec-start", STOP = "rec-stop", STATUS = "rec-status";
    var TIMESLICE_MS = 2000;
    var BITS_PER_SECOND = 32000;  // ample for speech; keeps a slice near 8 kB, well inside a beacon's budget
    var RETRY_MS = [500, 1000, 2000, 4000, 8000];
    var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
    var RESUME_KEY = "hill-recording-resume";
    var RESUME_WITHIN_MS = 30 * 60 * 1000;
    var current = null;

    function setProps(id, props) {
        var dc = window.dash_clientside;
        if (dc && dc.set_props && document.getElementById(id)) {
            dc.set_props(id, props);
        }
    }

    function show(text, recording) {
        setProps(STATUS, {children: text});
        setProps(START, {style: recording ? {display: "none"} : {}});
        setProps(STOP, {style: recording ? {} : {display: "none"}});
    }

    function clock(seconds) {
        var s = Math.floor(seconds);
        return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }

    function elapsedMs(s) {
        return s.t0 === undefined ? 0 : Math.round(performance.now() - s.t0);
    }

    function progress(s) {
        if (s.state !== "recording" && s.state !== "stopping") {
            return;
        }
        var waiting = s.queue.length;
        var sent = waiting ? waiting + (waiting === 1 ? " part" : " parts") + " waiting to be sent" +
            (s.failures ? " (retrying)" : "") : "everything sent";
        var headline = s.state === "recording" ? "\u25cf Recording " + clock(elapsedMs(s) / 1000) :
            "Saving the recording";
        show(headline + " \u00b7 " + sent, s.state === "recording");
    }

    function url(s, tail) {
        return s.base + "/recordings" + tail;
    }

    function post(s, path, body, type) {
        var headers = {"X-Hill-Token": s.token};
        if (type) {
            headers["Content-Type"] = type;
        }
        return fetch(url(s, path), {method: "POST", headers: headers, body: body, credentials: "same-origin"});
    }

    function refusal(response) {
        return response.text().then(function (text) {
            var error = new Error(text.trim() || ("the server answered " + response.status));
            error.permanent = response.status >= 400 && response.status < 500 && response.status !== 408 &&
                response.status !== 429;
            throw error;
        });
    }

    function release(s) {
        if (s.timer) {
            clearInterval(s.timer);
            s.timer = null;
        }
        if (s.stream) {
            s.stream.getTracks().forEach(function (track) { track.stop(); });
        }
    }

    function fail(s, message) {
        var wasRecording = s.recorder && s.recorder.state !== "inactive";
        s.state = "done";
        if (wasRecording) {
            s.recorder.stop();
        }
        release(s);
        show("Recording stopped: " + message, false);
    }

    function retryLater(s, what) {
        s.failures += 1;
        progress(s);
        setTimeout(what, RETRY_MS[Math.min(s.failures, RETRY_MS.length) - 1]);
    }

    function pump(s) {
        if (s.busy || s.state === "done") {
            return;
        }
        if (!s.queue.length) {
            if (s.state === "stopping") {
                finish(s);
            }
            return;
        }
        var chunk = s.queue[0], sentAt = performance.now();
        s.busy = true;
        post(s, "/" + s.recordingId + "/chunks/" + chunk.seq + "?offset_ms=" + chunk.offset, chunk.blob,
             chunk.blob.type || "application/octet-stream")
            .then(function (response) { return response.ok ? response : refusal(response); })
            .then(function () {
                s.busy = false;
                s.queue.shift();
                s.failures = 0;
                s.latencies.push(performance.now() - sentAt);
                s.bytes += chunk.blob.size;
                progress(s);
                pump(s);
            }, function (error) {
                s.busy = false;
                if (error.permanent) {
                    fail(s, error.message);
                } else {
                    retryLater(s, function () { pump(s); });
                }
            });
    }

    function finish(s) {
        if (s.state !== "stopping") {
            return;
        }
        s.state = "finishing";
        post(s, "/" + s.recordingId + "/finish", JSON.stringify({duration_ms: s.durationMs}), "application/json")
            .then(function (response) { return response.ok ? response.json() : refusal(response); })
            .then(function (info) {
                s.state = "done";
                show("Recording saved (" + clock(info.duration_s || 0) + "). You can start another one.", false);
            }, function (error) {
                if (error.permanent) {
                    s.state = "done";
                    show("The recording could not be saved: " + error.message, false);
                } else {
                    s.state = "stopping";
                    retryLater(s, function () { finish(s); });
                }
            });
    }

    function stop(s) {
        if (!s || s.state !== "recording") {
            return;
        }
        s.state = "stopping";
        s.durationMs = elapsedMs(s);
        s.recorder.stop();  // its last slice arrives in a final dataavailable, then "stop" fires
        progress(s);
    }

    function onData(s, event) {
        if (!event.data || !event.data.size) {
            return;
        }
        var now = elapsedMs(s);
        s.queue.push({seq: s.seq, blob: event.data, offset: s.boundary});
        s.seq += 1;
        s.boundary = now;
        pump(s);
    }

    function begin(s, stream) {
        s.stream = stream;
        var type = TYPES.filter(function (t) { return MediaRecorder.isTypeSupported(t); })[0];
        var options = {audioBitsPerSecond: BITS_PER_SECOND};
        if (type) {
            options.mimeType = type;
        }
        s.recorder = new MediaRecorder(stream, options);
        var mime = s.recorder.mimeType || type || "audio/webm";
        var body = {study_scenario_id: s.scenario, mime: mime};
        if (s.resumes) {
            body.resumes = s.resumes.recordingId;
            body.gap_ms = Math.max(0, Date.now() - s.resumes.leftAt);
        }
        return post(s, "", JSON.stringify(body), "application/json")
            .then(function (response) { return response.ok ? response.json() : refusal(response); })
            .then(function (created) {
                if (s.state !== "asking") {  // the task was left while the server answered
                    release(s);
                    return;
                }
                s.recordingId = created.recording_id;
                s.recorder.ondataavailable = function (event) { onData(s, event); };
                s.recorder.onstop = function () {
                    release(s);
                    pump(s);
                };
                s.state = "recording";
                s.t0 = performance.now();
                s.recorder.start(TIMESLICE_MS);
                s.timer = setInterval(function () {
                    if (!document.getElementById(ROOT)) {
                        stop(s);  // the task's page was replaced inside the app
                    } else {
                        progress(s);
                    }
                }, 1000);
                progress(s);
            });
    }

    function microphoneProblem(error) {
        if (error.name === "NotAllowedError" || error.name === "SecurityError") {
            return "microphone access was refused. Allow it for this page (the icon in the address bar) and " +
                "press Start again.";
        }
        if (error.name === "NotFoundError") {
            return "no microphone was found. Connect one and press Start again.";
        }
        return error.message || error.name || String(error);
    }

    function start(resumes) {
        var root = document.getElementById(ROOT);
        if (!root || (current && current.state !== "done")) {
            return;
        }
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
            show("This browser cannot record audio here; please tell the researcher.", false);
            return;
        }
        var s = {token: root.dataset.token, scenario: Number(root.dataset.studyScenario), base: root.dataset.base,
                 state: "asking", queue: [], seq: 0, boundary: 0, busy: false, failures: 0, latencies: [],
                 bytes: 0, timer: null, resumes: resumes || null};
        current = s;
        show(resumes ? "The page was reloaded: resuming the recording\u2026" :
             "Asking for permission to use the microphone\u2026", false);
        navigator.mediaDevices.getUserMedia({audio: true})
            .then(function (stream) { return begin(s, stream); })
            .catch(function (error) {
                fail(s, resumes ? "the page was reloaded and the recording could not go on by itself (" +
                     microphoneProblem(error) + ") Press Start to record again." : microphoneProblem(error));
            });
    }

    /* After a reload: the recording this tab was making on this task goes on, once. */
    function resumeAfterReload() {
        var root = document.getElementById(ROOT);
        if (!root || (current && current.state !== "done")) {
            return;
        }
        var note = null;
        try {
            note = JSON.parse(window.sessionStorage.getItem(RESUME_KEY) || "null");
            window.sessionStorage.removeItem(RESUME_KEY);
        } catch (e) {
            note = null;
        }
        if (note && note.token === root.dataset.token && note.scenario === Number(root.dataset.studyScenario) &&
                Date.now() - note.leftAt < RESUME_WITHIN_MS) {
            start(note);
        }
    }

    /* The page is going away: hand over what has not been sent, and the finish request, in one beacon. */
    function leave() {
        var s = current;
        if (!s || s.recordingId === undefined || s.state === "done") {
            return;
        }
        var form = new FormData();
        form.append("token", s.token);
        form.append("duration_ms", String(s.durationMs || elapsedMs(s)));
        s.queue.forEach(function (chunk) {
            form.append("chunk-" + chunk.seq, chunk.blob);
            form.append("offset-" + chunk.seq, String(chunk.offset));
        });
        navigator.sendBeacon(url(s, "/" + s.recordingId + "/finish"), form);
        if (s.state === "recording") {
            try {
                window.sessionStorage.setItem(RESUME_KEY, JSON.stringify(
                    {token: s.token, scenario: s.scenario, recordingId: s.recordingId, leftAt: Date.now()}));
            } catch (e) {
                // storage refused (private mode): the reloaded page simply shows Start
            }
        }
        s.state = "done";
        release(s);
    }

    document.addEventListener("click", function (event) {
        var target = event.target;
        if (!target || !target.closest) {
            return;
        }
        if (target.closest("#" + START)) {
            start();
        } else if (target.closest("#" + STOP)) {
            stop(current);
        }
    });
    document.addEventListener("visibilitychange", function () {
        // A hidden tab may be discarded without another event: send what the recorder holds now.
        if (document.visibilityState === "hidden" && current && current.state === "recording") {
            current.recorder.requestData();
        }
    });
    window.addEventListener("pagehide", leave);
    setInterval(resumeAfterReload, 500);

    window.hillRecorder = {
        /* What the current recording has done so far (for the page's own checks and for diagnosis). */
        status: function () {
            var s = current;
            return s ? {state: s.state, recordingId: s.recordingId, chunks: s.seq, waiting: s.queue.length,
                        bytes: s.bytes, uploadMs: s.latencies.slice()} : null;
        }
    };
})();
