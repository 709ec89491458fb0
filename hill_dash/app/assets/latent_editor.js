/*
 * Latent editor: drag single points, a box/lasso selection or a whole class (by its centre cross) in the
 * editor's scatter, double-click a centre cross to collapse its class, and release ONE edit per gesture into
 * the dcc.Store named by the wrapper's data-edit-store attribute (via dash_clientside.set_props).
 *
 * The figure comes from hill_dash/app/components/latent_figure.py: every trace names its role in `meta`
 * ("points", "centre", "ghost"), each point's customdata is its position in the snapshot's point list.
 * Plotly sends numpy arrays packed, so coordinates are read from gd._fullData (decoded), never gd.data.
 *
 * While a drag runs, the dragged points live in the drag layer (drag_layer.js); the figure itself changes
 * twice per drag (dragged points hidden after the layer's first paint, then landed at their new place), so
 * it always shows what the server renders from the stored edits.
 *
 * In arrow mode (class "hill-arrow-mode" on an ancestor of the editor) nothing here moves points: presses
 * belong to arrow_gesture.js, which uses the hit testing and the edit release exported below.
 */
(function () {
    "use strict";

    var DRAG_THRESHOLD_PX = 3;
    var HIT_SLACK_PX = 3;
    var drag = null;

    function editorOf(target) {
        if (!target || !target.closest || target.closest(".modebar, .legend")) {
            return null;
        }
        var gd = target.closest(".js-plotly-plot");
        var root = gd && gd.closest(".hill-editor");
        if (!root || !gd._fullLayout || !gd._fullData) {
            return null;
        }
        return {gd: gd, root: root};
    }

    /* Pointer position in pixels inside the plot area (origin at the top-left of the axes). */
    function toPlotPixels(gd, event) {
        var rect = gd.getBoundingClientRect();
        var size = gd._fullLayout._size;
        return {x: event.clientX - rect.left - size.l, y: event.clientY - rect.top - size.t};
    }

    function insidePlot(gd, px) {
        var size = gd._fullLayout._size;
        return px.x >= 0 && px.y >= 0 && px.x <= size.w && px.y <= size.h;
    }

    function toData(gd, px) {
        return {x: gd._fullLayout.xaxis.p2d(px.x), y: gd._fullLayout.yaxis.p2d(px.y)};
    }

    function markerSize(trace, k) {
        var size = trace.marker && trace.marker.size;
        if (size && size.length !== undefined) {
            return size[k];
        }
        return size || 6;
    }

    function role(trace) {
        return (trace.meta && trace.meta.role) || null;
    }

    function arrowMode(root) {
        return !!root.closest(".hill-arrow-mode");
    }

    /* The point or centre cross under the pointer (of the given roles, default both); centres win over points,
       then the nearest. */
    function hitTest(gd, px, roles) {
        var xa = gd._fullLayout.xaxis;
        var ya = gd._fullLayout.yaxis;
        var wanted = roles || ["points", "centre"];
        var best = null;
        gd._fullData.forEach(function (trace, i) {
            var kind = role(trace);
            if (trace.visible !== true || wanted.indexOf(kind) < 0) {
                return;
            }
            var priority = kind === "centre" ? 0 : 1;
            for (var k = 0; k < trace.x.length; k++) {
                var dx = xa.d2p(trace.x[k]) - px.x;
                var dy = ya.d2p(trace.y[k]) - px.y;
                var d2 = dx * dx + dy * dy;
                var radius = markerSize(trace, k) / 2 + HIT_SLACK_PX;
                if (!(d2 <= radius * radius)) {
                    continue;
                }
                if (!best || priority < best.priority || (priority === best.priority && d2 < best.d2)) {
                    best = {trace: i, point: k, role: kind, classId: trace.meta.class_id, priority: priority, d2: d2};
                }
            }
        });
        return best;
    }

    function traceIndex(gd, wantedRole, classId) {
        for (var i = 0; i < gd._fullData.length; i++) {
            var meta = gd._fullData[i].meta || {};
            if (meta.role === wantedRole && (classId === undefined || meta.class_id === classId)) {
                return i;
            }
        }
        return -1;
    }

    function member(gd, i, k) {
        var trace = gd._fullData[i];
        return {trace: i, point: k, index: Number(trace.customdata[k]), x: trace.x[k], y: trace.y[k]};
    }

    /* Points of the plot's current box/lasso selection, as members; empty when nothing is selected. */
    function selectedMembers(gd) {
        var members = [];
        gd._fullData.forEach(function (trace, i) {
            if (role(trace) === "points" && trace.visible === true && Array.isArray(trace.selectedpoints)) {
                trace.selectedpoints.forEach(function (k) { members.push(member(gd, i, k)); });
            }
        });
        return members;
    }

    function classMembers(gd, classId) {
        var i = traceIndex(gd, "points", classId);
        var members = [];
        for (var k = 0; i >= 0 && k < gd._fullData[i].x.length; k++) {
            members.push(member(gd, i, k));
        }
        return members;
    }

    function planDrag(gd, hit) {
        if (hit.role === "centre") {
            var centre = gd._fullData[hit.trace];
            return {kind: "class", classId: hit.classId, members: classMembers(gd, hit.classId),
                    centreTrace: hit.trace, centre: {x: centre.x[0], y: centre.y[0]}};
        }
        var selection = selectedMembers(gd);
        var inSelection = selection.some(function (m) { return m.trace === hit.trace && m.point === hit.point; });
        if (inSelection && selection.length > 1) {
            return {kind: "selection", classId: null, members: selection, centreTrace: -1, centre: null};
        }
        return {kind: "point", classId: hit.classId, members: [member(gd, hit.trace, hit.point)],
                centreTrace: -1, centre: null};
    }

    /*
     * Put each member at position(member) (NaN hides it) and a moved centre cross at its place, in ONE Plotly
     * call: every call redraws the whole WebGL scene. With clearSelection the box/lasso selection ends too.
     */
    function land(gd, members, position, centre, clearSelection) {
        var columns = {};
        members.forEach(function (m) {
            if (!columns[m.trace]) {
                var trace = gd._fullData[m.trace];
                columns[m.trace] = {x: Float64Array.from(trace.x), y: Float64Array.from(trace.y)};
            }
            var p = position(m);
            columns[m.trace].x[m.point] = p.x;
            columns[m.trace].y[m.point] = p.y;
        });
        if (centre) {
            columns[centre.trace] = {x: [centre.x], y: [centre.y]};
        }
        var traces = clearSelection ? gd._fullData.map(function (t, i) { return i; }) : Object.keys(columns).map(Number);
        if (!traces.length) {
            return;
        }
        // undefined leaves a trace's coordinates as they are.
        var update = {x: traces.map(function (i) { return columns[i] ? columns[i].x : undefined; }),
                      y: traces.map(function (i) { return columns[i] ? columns[i].y : undefined; })};
        if (clearSelection) {
            update.selectedpoints = traces.map(function () { return null; });
            window.Plotly.update(gd, update, {selections: []}, traces);
        } else {
            window.Plotly.restyle(gd, update, traces);
        }
    }

    function hideDragged(current) {
        // Runs after the drag layer's first paint; a drag that has already landed keeps its points.
        if (drag === current && !current.finished) {
            land(current.gd, current.members, function () { return {x: NaN, y: NaN}; }, null, false);
        }
    }

    function begin() {
        var gd = drag.gd;
        var current = drag;
        if (window.Plotly.Fx) {
            window.Plotly.Fx.unhover(gd);
        }
        var centre = drag.centre ? {x: drag.centre.x, y: drag.centre.y, trace: drag.centreTrace} : null;
        drag.layer = window.dash_clientside.hill.dragLayer.open(drag.root, gd, drag.members, centre);
        drag.started = true;
        window.requestAnimationFrame(function () {
            window.setTimeout(function () { hideDragged(current); }, 0);
        });
    }

    function pixelOffset(event) {
        var px = toPlotPixels(drag.gd, event);
        return {x: px.x - drag.startPx.x, y: px.y - drag.startPx.y};
    }

    function offsetAt(event) {
        var here = toData(drag.gd, toPlotPixels(drag.gd, event));
        return {x: here.x - drag.start.x, y: here.y - drag.start.y};
    }

    function release(root, edit) {
        var raw = root.getAttribute("data-edit-store");
        var storeId = raw && raw.charAt(0) === "{" ? JSON.parse(raw) : raw;
        window.dash_clientside.set_props(storeId, {data: edit});
    }

    function epochOf(gd) {
        return gd._fullLayout.meta && gd._fullLayout.meta.epoch !== undefined ? gd._fullLayout.meta.epoch : null;
    }

    /* The released edit; `plan` holds kind, classId, members, centre and the epoch seen when the press began. */
    function buildEdit(plan, newPosition, newCentre, event) {
        return {
            kind: plan.kind,
            indices: plan.members.map(function (m) { return m.index; }),
            old: plan.members.map(function (m) { return [m.x, m.y]; }),
            "new": plan.members.map(function (m) { var p = newPosition(m); return [p.x, p.y]; }),
            class_id: plan.classId === undefined ? null : plan.classId,
            centre: plan.centre ? {old: [plan.centre.x, plan.centre.y], "new": [newCentre.x, newCentre.y]} : null,
            epoch: plan.epoch,
            timestamp: performance.timeOrigin + event.timeStamp
        };
    }

    function finish(event) {
        var gd = drag.gd;
        var d = offsetAt(event);
        var shifted = function (m) { return {x: m.x + d.x, y: m.y + d.y}; };
        var newCentre = drag.centre ? shifted(drag.centre) : null;
        var edit = buildEdit(drag, shifted, newCentre, event);
        var done = drag;
        done.finished = true;
        var landedCentre = newCentre ? {x: newCentre.x, y: newCentre.y, trace: done.centreTrace} : null;
        // The edit leaves first; the figure redraw (a whole WebGL scene) follows in its own task, while the
        // drag layer keeps showing the points where they were dropped.
        release(done.root, edit);
        window.setTimeout(function () {
            // A moved box/lasso selection ends: left in place it would re-select whatever now lies under it.
            land(gd, done.members, shifted, landedCentre, done.kind === "selection");
            window.dash_clientside.hill.dragLayer.close(done.layer);
        }, 0);
    }

    function onMouseDown(event) {
        if (event.button !== 0) {
            return;
        }
        var editor = editorOf(event.target);
        if (!editor || arrowMode(editor.root)) {
            return;
        }
        var px = toPlotPixels(editor.gd, event);
        var hit = insidePlot(editor.gd, px) ? hitTest(editor.gd, px) : null;
        if (!hit) {
            return;
        }
        // Stop Plotly from starting its own zoom/select drag on the same press.
        event.stopPropagation();
        event.preventDefault();
        drag = Object.assign(planDrag(editor.gd, hit), {gd: editor.gd, root: editor.root, startPx: px,
                                                         start: toData(editor.gd, px), started: false,
                                                         epoch: epochOf(editor.gd)});
    }

    function movedFarEnough(event) {
        var px = toPlotPixels(drag.gd, event);
        return Math.abs(px.x - drag.startPx.x) + Math.abs(px.y - drag.startPx.y) >= DRAG_THRESHOLD_PX;
    }

    function onMouseMove(event) {
        if (!drag) {
            return;
        }
        event.stopPropagation();
        if (!drag.started && !movedFarEnough(event)) {
            return;
        }
        if (!drag.started) {
            begin();
        }
        var d = pixelOffset(event);
        window.dash_clientside.hill.dragLayer.move(drag.layer, d.x, d.y);
    }

    function onMouseUp(event) {
        if (!drag) {
            return;
        }
        event.stopPropagation();
        try {
            if (!drag.started && movedFarEnough(event)) {
                begin();
            }
            if (drag.started) {
                finish(event);
            }
        } finally {
            if (drag.layer && !drag.finished) {
                window.dash_clientside.hill.dragLayer.close(drag.layer);
            }
            drag = null;
        }
    }

    /* Double-click on a centre cross: every point of the class moves onto the cross. */
    function onDoubleClick(event) {
        var editor = editorOf(event.target);
        if (!editor || arrowMode(editor.root)) {
            return;
        }
        var gd = editor.gd;
        var px = toPlotPixels(gd, event);
        var hit = insidePlot(gd, px) ? hitTest(gd, px) : null;
        if (!hit || hit.role !== "centre") {
            return;
        }
        event.stopPropagation();
        event.preventDefault();
        var trace = gd._fullData[hit.trace];
        var centre = {x: trace.x[0], y: trace.y[0]};
        var members = classMembers(gd, hit.classId);
        var onCentre = function () { return centre; };
        var edit = buildEdit({kind: "collapse", classId: hit.classId, members: members, centre: centre,
                              epoch: epochOf(gd)}, onCentre, centre, event);
        land(gd, members, onCentre, null, false);
        release(editor.root, edit);
    }

    document.addEventListener("mousedown", onMouseDown, true);
    document.addEventListener("mousemove", onMouseMove, true);
    document.addEventListener("mouseup", onMouseUp, true);
    document.addEventListener("dblclick", onDoubleClick, true);

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.hill = Object.assign(window.dash_clientside.hill || {}, {
        editorOf: editorOf,
        epochOf: epochOf,
        hitTest: hitTest,
        insidePlot: insidePlot,
        member: member,
        release: release,
        toData: toData,
        toPlotPixels: toPlotPixels
    });
})();
